"""station_desk: the desktop program of a deputies' liaison station."""

__version__ = "0.1.0"
APP_NAME = "station_desk"
