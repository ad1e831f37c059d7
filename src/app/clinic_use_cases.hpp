#pragma once

// Every use case the clinic's server runs, over one store, clock and set of credentials. The composition root
// (`kclinic serve`) builds it once and hands it to the API and the live channel; the demo clinic and the use-case
// tests build it the same way, so a use case the server gains is added here once. (The one-shot commands of the CLI,
// such as the record export, build only the use case they run.)

#include "app/adverse_event_records.hpp"
#include "app/alert_records.hpp"
#include "app/authentication.hpp"
#include "app/calendar_feeds.hpp"
#include "app/clinic_settings.hpp"
#include "app/clinic_views.hpp"
#include "app/controlled_substances.hpp"
#include "app/course_records.hpp"
#include "app/device_feed.hpp"
#include "app/dose_records.hpp"
#include "app/history_records.hpp"
#include "app/live_channel_audit.hpp"
#include "app/note_records.hpp"
#include "app/patient_records.hpp"
#include "app/portal.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/credentials.hpp"
#include "app/ports/store.hpp"
#include "app/ports/time_zones.hpp"
#include "app/questionnaires.hpp"
#include "app/rems_forms.hpp"
#include "app/scheduling.hpp"
#include "app/second_factors.hpp"
#include "app/session_steps.hpp"
#include "app/standing_orders.hpp"
#include "app/user_records.hpp"

namespace kclinic::app {

struct ClinicUseCases {
    // `store`, `clock`, `credentials` and `zones` must outlive this object. Thread-safe when the store is, as each use
    // case.
    ClinicUseCases(Store& store, const Clock& clock, const Credentials& credentials, const TimeZones& zones)
        : ClinicUseCases(store, clock, clock, credentials, zones) {}

    // As above, with logins, browser sessions, login locks and API tokens timed by `access_clock` instead: `kclinic
    // serve --test-clock` keeps them on the real time while the clinical record follows the test clock, so that
    // moving the clinic two hours ahead neither ends every session as idle nor lifts a login lock early (docs/cli.md
    // "Test clock").
    ClinicUseCases(Store& store, const Clock& clock, const Clock& access_clock, const Credentials& credentials,
                   const TimeZones& zones)
        : authentication(store, access_clock, credentials),
          users(store, access_clock, credentials),
          second_factors(store, access_clock, credentials),
          calendar_feeds(store, clock, credentials),
          settings(store, clock, zones),
          patients(store, clock, zones),
          history(store, clock, zones),
          courses(store, clock),
          sessions(store, clock, zones),
          doses(store, clock),
          standing_orders(store, clock, zones),
          alerts(store, clock),
          adverse_events(store, clock),
          notes(store, clock),
          rems(store, clock, zones),
          portal(store, clock, zones),
          questionnaires(store, clock, zones),
          scheduling(store, clock, zones),
          views(store, clock, zones),
          devices(store, clock),
          inventory(store, clock, zones),
          live_channel(store, clock) {}

    Authentication authentication;
    UserRecords users;
    SecondFactors second_factors;
    CalendarFeeds calendar_feeds;
    ClinicSettingsRecords settings;
    PatientRecords patients;
    HistoryRecords history;
    CourseRecords courses;
    SessionSteps sessions;
    DoseRecords doses;
    StandingOrders standing_orders;
    AlertRecords alerts;
    AdverseEventRecords adverse_events;
    NoteRecords notes;
    RemsForms rems;
    PortalRecords portal;
    Questionnaires questionnaires;
    Scheduling scheduling;
    ClinicViews views;
    DeviceFeed devices;
    ControlledSubstanceLog inventory;
    LiveChannelAudit live_channel;
};

}  // namespace kclinic::app
