"""Station -> county -> station: a voter's matter forwarded to a county unit
travels in the monthly bundle, the county answers it, the return bundle brings
the answer to the case, and the clerk passes it on to the voter."""
from __future__ import annotations

from station_desk.services import bundles, cases, county as county_svc, registry
from tests.bundles.helpers import make_pair
from tests.conftest import deputy_data, mandate_data


def test_station_county_station(tmp_path, clock):
    p = make_pair(tmp_path, clock)
    st, co = p.station, p.county
    deputy = registry.create_deputy(st, data=deputy_data(), mandates=[mandate_data()]).created_id
    cid = cases.register(st, voter={"name": "朴英子", "village": "明东村",
                                    "phone": "13843312345", "language": "ko", "consent": True},
                         case={"on": "2026-03-02", "channel": "reception_day",
                               "category": "help", "words": "村道坏了", "place": "联络站",
                               "duty_deputies": [deputy]}).created_id
    cases.sort_case(st, case_id=cid, category="help", on="2026-03-03")
    cases.forward_case(st, case_id=cid, route="county", unit="县交通局", on="2026-03-04")

    sent = bundles.export_bundle(st, folder=p.stick)
    preview = county_svc.preview_import(co, path=sent.path)
    assert preview.tables["cases"]["new"] == 1 and not preview.applied
    county_svc.import_bundle(co, path=sent.path)
    [fwd] = county_svc.forwarded_cases(co, station="222405-01")
    county_svc.reply_to_case(co, case_id=fwd["id"], on="2026-03-09", unit="县交通局",
                             body="已安排四月修路")
    back = county_svc.export_return(co, station="222405-01", folder=p.stick)
    report = bundles.import_return(st, path=back.path)
    assert report.tables["county_replies"]["new"] == 1

    page = cases.case(st, cid)
    assert [r["body"] for r in page["county_replies"]] == ["已安排四月修路"]
    cases.handle_case(st, case_id=cid, outcome="B", result=page["county_replies"][0]["body"],
                      on="2026-03-09")
    assert cases.case(st, cid)["row"]["state"] == "handled"
    # the next bundle carries only what changed since the county's acknowledgement
    nxt = bundles.export_bundle(st, folder=p.stick)
    assert nxt.meta["acknowledged_base"] > 0
    assert set(t for t, c in nxt.counts.items() if c["rows"]) == {"cases", "case_events",
                                                                  "voters"}
    county_svc.import_bundle(co, path=nxt.path)
    assert co.db.execute("SELECT state FROM cases WHERE id = ?", [cid]).fetchone()[0] == "handled"
    st.close()
    co.close()
