"""County mode's main window: the main window with the county's screens.

Everything else (sign-in, idle lock, backups of the county database, language
switch, audit trail, accounts, settings) is the station's main window's."""
from __future__ import annotations

from station_desk.domain.accounts import Permission
from station_desk.i18n import N_, _, current_language
from station_desk.services import county as county_service
from station_desk.ui.main_window import SCREENS, MainWindow, allowed_entries
from station_desk.ui.screens.base import ScreenEntry

_S = "station_desk.ui.screens.county:"
_STATION = {e.key: e for e in SCREENS}
COUNTY_SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry("county_stations", _S + "CountyStationsScreen", N_("Stations")),
    ScreenEntry("county_import", _S + "CountyImportScreen", N_("Import bundles"),
                Permission.IMPORT_EXPORT),
    ScreenEntry("county_cases", _S + "CountyCasesScreen", N_("Forwarded cases")),
    ScreenEntry("county_returns", _S + "CountyReturnsScreen", N_("Return bundles"),
                Permission.IMPORT_EXPORT),
    ScreenEntry("county_key", _S + "CountyKeyScreen", N_("County key")),
    _STATION["audit"], _STATION["accounts"], _STATION["settings"])
COUNTY_SCREEN_PERMISSIONS = {"county_stations": Permission.VIEW_RECORDS,
                             "county_cases": Permission.VIEW_RECORDS,
                             "county_key": Permission.VIEW_RECORDS,
                             "accounts": Permission.MANAGE_ACCOUNTS}


class CountyWindow(MainWindow):
    """The county's window (``station-desk --county PATH``)."""

    @staticmethod
    def allowed_screens(session) -> list[ScreenEntry]:
        return allowed_entries(session, COUNTY_SCREENS, COUNTY_SCREEN_PERMISSIONS)

    def station_name(self) -> str:
        profile = county_service.county_profile(self.session)
        if current_language() == "ko" and profile.get("name_ko"):
            name = profile["name_ko"]
        else:
            name = profile.get("name") or ""
        return _("{county} (county mode)").format(county=name)

    def _reopen(self) -> bool:
        """After a restore the file is reopened as a station's would be; it keeps
        the county's code (the county's replies and return bundles carry it)."""
        code = self.session.station_code
        reopened = super()._reopen()
        if reopened:
            self.session.station_code = code
            self._update_status()
        return reopened
