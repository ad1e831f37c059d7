#include "app/calendar_feeds.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "app/access_rules.hpp"
#include "app/audit.hpp"
#include "app/user_records.hpp"

namespace kclinic::app {
namespace {

// The length in bytes of the UTF-8 sequence `lead` starts (1 for anything that is not a lead byte: the text was
// checked as UTF-8 when it was stored, base/text.hpp CheckText).
std::size_t SequenceLength(unsigned char lead) {
    if (lead >= 0xF0) {
        return 4;
    }
    if (lead >= 0xE0) {
        return 3;
    }
    return lead >= 0xC0 ? 2 : 1;
}

// The first letter of `name` as PatientInitials writes it (with its full stop); empty when it has none.
std::string Initial(std::string_view name) {
    for (std::size_t at = 0; at < name.size();) {
        const auto byte = static_cast<unsigned char>(name[at]);
        if (byte >= 0x80) {
            return std::string(name.substr(at, SequenceLength(byte))) + ".";
        }
        if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z')) {
            return std::string(1, static_cast<char>(byte >= 'a' ? byte - ('a' - 'A') : byte)) + ".";
        }
        ++at;  // a space, an apostrophe, a hyphen, a digit: not a letter of the name
    }
    return {};
}

Error NoSuchFeed() {
    return Error{ErrorCode::kNotFound, "token", "no such calendar feed"};
}

// The user whose feed a use case manages: `email_text` normalized, the user found.
Result<User> FeedOwner(StoreTransaction& tx, std::string_view email_text) {
    ASSIGN_OR_RETURN(const std::string email, NormalizeEmail(email_text));
    return UserByEmail(tx, email);
}

}  // namespace

std::string PatientInitials(std::string_view given_name, std::string_view family_name) {
    return Initial(given_name) + Initial(family_name);
}

std::string_view FeedTypeLabel(clinical::AppointmentType type) {
    switch (type) {
        case clinical::AppointmentType::kIvSession:
            return "IV ketamine session";
        case clinical::AppointmentType::kEsketamineSession:
            return "Esketamine session";
        case clinical::AppointmentType::kImSession:
            return "IM ketamine session";
        case clinical::AppointmentType::kIntake:
            return "Intake consultation";
        case clinical::AppointmentType::kPrescriberReview:
            return "Prescriber review";
        case clinical::AppointmentType::kTherapyPreparation:
            return "Therapy: preparation";
        case clinical::AppointmentType::kTherapyIntegration:
            return "Therapy: integration";
        case clinical::AppointmentType::kFollowUp:
            return "Follow-up";
    }
    return clinical::AppointmentTypeName(type);
}

Result<NewCalendarFeed> CalendarFeeds::CreateFeed(const Actor& actor, std::string_view email) {
    const TimePoint now = clock_.Now();
    NewCalendarFeed created;
    created.token = credentials_.NewToken();
    created.record.token_digest = credentials_.TokenDigest(created.token);
    created.record.created_at = now;
    created.record.created_by = actor.user;
    return store_.Write([&](StoreTransaction& tx) -> Result<NewCalendarFeed> {
        ASSIGN_OR_RETURN(const User user, FeedOwner(tx, email));
        if (user.disabled) {
            return Error{ErrorCode::kFailedPrecondition, "email", user.email + " is disabled"};
        }
        if (user.role == Role::kPatient) {
            return Error{ErrorCode::kFailedPrecondition, "email",
                         user.email + " is a patient: a calendar feed shows a clinician's own appointments"};
        }
        ASSIGN_OR_RETURN(const std::optional<CalendarFeed> live, tx.FindLiveCalendarFeed(user.id));
        if (live) {
            // One feed per user: a new URL is how a clinician replaces one they shared by mistake.
            RETURN_IF_ERROR(tx.RevokeCalendarFeed(live->id, now));
            RETURN_IF_ERROR(RecordAudit(tx, actor, now, "calendar_feed.revoke", "calendar_feed", live->id.value, 0));
        }
        created.record.user = user.id;
        ASSIGN_OR_RETURN(created.record.id, tx.InsertCalendarFeed(created.record));
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, now, "calendar_feed.create", "calendar_feed", created.record.id.value, 0));
        return created;
    });
}

Result<std::optional<CalendarFeed>> CalendarFeeds::GetFeed(const Actor& actor, std::string_view email) {
    return store_.Write([&](StoreTransaction& tx) -> Result<std::optional<CalendarFeed>> {
        ASSIGN_OR_RETURN(const User user, FeedOwner(tx, email));
        ASSIGN_OR_RETURN(std::optional<CalendarFeed> live, tx.FindLiveCalendarFeed(user.id));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "calendar_feed.read", "user", user.id.value, 0));
        return live;
    });
}

Result<CalendarFeed> CalendarFeeds::RevokeFeed(const Actor& actor, std::string_view email) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<CalendarFeed> {
        ASSIGN_OR_RETURN(const User user, FeedOwner(tx, email));
        ASSIGN_OR_RETURN(std::optional<CalendarFeed> live, tx.FindLiveCalendarFeed(user.id));
        if (!live) {
            return Error{ErrorCode::kNotFound, "calendar_feed", user.email + " has no calendar feed"};
        }
        RETURN_IF_ERROR(tx.RevokeCalendarFeed(live->id, now));
        live->revoked_at = now;
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "calendar_feed.revoke", "calendar_feed", live->id.value, 0));
        return std::move(*live);
    });
}

Result<CalendarFeedView> CalendarFeeds::ReadFeed(std::string_view token, std::string_view origin) {
    const std::string digest = credentials_.TokenDigest(token);
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<CalendarFeedView> {
        ASSIGN_OR_RETURN(const std::optional<CalendarFeed> feed, tx.FindCalendarFeed(digest));
        if (!feed || feed->revoked_at) {
            return NoSuchFeed();
        }
        ASSIGN_OR_RETURN(const User owner, tx.GetUser(feed->user));
        CalendarFeedView view;
        view.name = "kclinic: " + (owner.display_name.empty() ? owner.email : owner.display_name);
        view.owner_email = owner.email;
        view.generated_at = now;

        AppointmentFilter filter;
        filter.from = now - kFeedDaysBack;
        filter.to = now + kFeedDaysAhead;
        filter.staff = owner.email;
        ASSIGN_OR_RETURN(const std::vector<Appointment> appointments, tx.ListAppointments(filter));
        ASSIGN_OR_RETURN(const std::vector<TreatmentRoom> rooms, tx.ListRooms());
        std::map<PatientId, std::string> initials;
        for (const Appointment& appointment : appointments) {
            const bool cancelled = appointment.status == clinical::AppointmentStatus::kCancelled;
            if (cancelled && appointment.updated_at < now - kFeedCancelledDays) {
                continue;
            }
            auto known = initials.find(appointment.patient);
            if (known == initials.end()) {
                ASSIGN_OR_RETURN(const Patient patient, tx.GetPatient(appointment.patient));
                known = initials.emplace(patient.id, PatientInitials(patient.given_name, patient.family_name)).first;
            }
            FeedAppointment shown;
            shown.id = appointment.id;
            const std::string_view label = FeedTypeLabel(appointment.type);
            shown.summary = known->second.empty() ? std::string(label) : known->second + " " + std::string(label);
            shown.start = appointment.start;
            shown.end = appointment.end;
            if (appointment.room) {
                const auto room = std::find_if(rooms.begin(), rooms.end(),
                                               [&](const TreatmentRoom& r) { return r.id == *appointment.room; });
                shown.room = room == rooms.end() ? std::string() : room->name;
            }
            shown.cancelled = cancelled;
            shown.sequence = static_cast<int>(appointment.version - 1);
            shown.updated_at = appointment.updated_at;
            view.appointments.push_back(std::move(shown));
        }
        // The feed's owner reads their patients' initials and appointments through it: audited as theirs.
        const Actor actor{owner.email, std::string(origin)};
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "calendar.feed", "calendar_feed", feed->id.value, 0,
                                    "appointments=" + std::to_string(view.appointments.size())));
        return view;
    });
}

}  // namespace kclinic::app
