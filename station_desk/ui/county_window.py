"""County mode's main window: the main window with the county's screens.

Everything else (sign-in, idle lock, backups of the county database, language
switch, audit trail, accounts, settings) is the station's main window's."""
from __future__ import annotations

from station_desk.domain.accounts import Permission
from station_desk.i18n import _, current_language
from station_desk.services import county as county_service
from station_desk.ui.main_window import MainWindow
from station_desk.ui.screens.accounts import AccountsScreen
from station_desk.ui.screens.audit import AuditScreen
from station_desk.ui.screens.base import Screen
from station_desk.ui.screens.county import (
    CountyCasesScreen, CountyImportScreen, CountyKeyScreen, CountyReturnsScreen,
    CountyStationsScreen,
)
from station_desk.ui.screens.settings import SettingsScreen

COUNTY_SCREEN_CLASSES: tuple[type[Screen], ...] = (
    CountyStationsScreen, CountyImportScreen, CountyCasesScreen, CountyReturnsScreen,
    CountyKeyScreen, AuditScreen, AccountsScreen, SettingsScreen)
COUNTY_SCREEN_PERMISSIONS = {"county_stations": Permission.VIEW_RECORDS,
                             "county_cases": Permission.VIEW_RECORDS,
                             "county_key": Permission.VIEW_RECORDS,
                             "accounts": Permission.MANAGE_ACCOUNTS}


class CountyWindow(MainWindow):
    """The county's window (``station-desk --county PATH``)."""

    @staticmethod
    def allowed_screens(session) -> list[type[Screen]]:
        def allowed(cls: type[Screen]) -> bool:
            needed = [COUNTY_SCREEN_PERMISSIONS.get(cls.key), getattr(cls, "permission", None)]
            return all(p is None or session.can(p) for p in needed)
        return [cls for cls in COUNTY_SCREEN_CLASSES if allowed(cls)]

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
