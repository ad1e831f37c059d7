"""Reads the feed ical_feed_test.cpp renders from SampleFeed() with Python's icalendar (Debian's python3-icalendar),
a parser independent of libical, and checks what a subscribing calendar would see. Exit status 0 when all holds;
otherwise the first difference is printed and the status is 1.

Usage: /usr/bin/python3 check_feed.py FEED.ics
"""

import sys
from datetime import datetime, timedelta, timezone

from icalendar import Calendar

MONDAY = datetime(2026, 3, 8, 14, 30, tzinfo=timezone.utc)
LONG_SUMMARY = ("Z.\u00d8. IV ketamine session; chair, then recovery \\ a summary long enough to be folded over "
                "the 75-octet line limit of RFC 5545")


def expect(what, got, wanted):
    if got != wanted:
        print(f"check_feed.py: {what}: got {got!r}, wanted {wanted!r}")
        sys.exit(1)


def main(path):
    with open(path, "rb") as file:
        raw = file.read()
    calendar = Calendar.from_ical(raw)
    expect("component", calendar.name, "VCALENDAR")
    expect("PRODID", str(calendar["PRODID"]), "-//kclinic//Clinician calendar feed//EN")
    expect("VERSION", str(calendar["VERSION"]), "2.0")
    expect("CALSCALE", str(calendar["CALSCALE"]), "GREGORIAN")
    expect("METHOD", str(calendar["METHOD"]), "PUBLISH")
    expect("X-WR-CALNAME", str(calendar["X-WR-CALNAME"]), "kclinic: Nurse Ratched")
    events = [component for component in calendar.walk("VEVENT")]
    expect("events", len(events), 2)
    wanted = [
        {"UID": "appointment-17@clinic.example", "DTSTART": MONDAY, "DTEND": MONDAY + timedelta(minutes=130),
         "SUMMARY": LONG_SUMMARY, "LOCATION": "Chair 2, east wing", "STATUS": "CONFIRMED", "SEQUENCE": 3,
         "LAST-MODIFIED": MONDAY - timedelta(hours=30)},
        {"UID": "appointment-18@clinic.example", "DTSTART": MONDAY + timedelta(hours=3),
         "DTEND": MONDAY + timedelta(hours=3, minutes=30), "SUMMARY": "A.L. Prescriber review", "LOCATION": None,
         "STATUS": "CANCELLED", "SEQUENCE": 0, "LAST-MODIFIED": MONDAY - timedelta(hours=5)},
    ]
    for event, expected in zip(events, wanted):
        uid = expected["UID"]
        expect(f"{uid} UID", str(event["UID"]), uid)
        expect(f"{uid} DTSTAMP", event.decoded("DTSTAMP"), MONDAY - timedelta(hours=2))
        for name in ("DTSTART", "DTEND", "LAST-MODIFIED"):
            expect(f"{uid} {name}", event.decoded(name), expected[name])
        expect(f"{uid} SUMMARY", str(event["SUMMARY"]), expected["SUMMARY"])
        expect(f"{uid} LOCATION", str(event["LOCATION"]) if "LOCATION" in event else None, expected["LOCATION"])
        expect(f"{uid} STATUS", str(event["STATUS"]), expected["STATUS"])
        expect(f"{uid} SEQUENCE", int(event["SEQUENCE"]), expected["SEQUENCE"])
        expect(f"{uid} ORGANIZER", str(event["ORGANIZER"]), "mailto:nurse@clinic.example")
    # RFC 5545 §3.1: content lines end in CRLF and are at most 75 octets.
    for line in raw.split(b"\r\n"):
        if len(line) > 75 or b"\n" in line:
            print(f"check_feed.py: a line is not CRLF-terminated or longer than 75 octets: {line!r}")
            sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1])
