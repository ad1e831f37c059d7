#pragma once

// Use cases of the clinicians' calendar feeds (issue 11 §3): a clinician subscribes their calendar application to
// their own schedule at a secret, revocable URL. The URL's token comes from the Credentials port (32 random bytes,
// base64url), is shown once and is stored only as its digest, as an API token is (docs/security.md "Calendar
// feeds"). A feed shows of each appointment its time, room, status and a summary of the patient's initials and the
// appointment's type: no name, record number, diagnosis or dose. Each use case does its work in one Store
// transaction and audits it there (calendar_feed.create, calendar_feed.read, calendar_feed.revoke, and calendar.feed
// for every fetch of a feed, with the feed's owner as actor, because it reads patient data); a refusal writes
// nothing. Who may call the first three is decided before, by Authorize (Permission::kCalendarFeed for one's own,
// kTokenManage for an admin revoking anyone's); the fetch is authorized by its token alone.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/credentials.hpp"
#include "app/ports/store.hpp"
#include "app/records.hpp"
#include "base/result.hpp"

namespace kclinic::app {

// What a feed holds, counted from the time it is fetched: the appointments that overlap [now - kFeedDaysBack,
// now + kFeedDaysAhead) (a month of history to look back on, the booking horizon ahead), and of those a cancelled
// one only while it was cancelled at most kFeedCancelledDays ago, so subscribed calendars see STATUS:CANCELLED and
// drop it, and the feed does not grow with every cancellation (clinic policy [PRACTICE]).
inline constexpr std::chrono::days kFeedDaysBack{30};
inline constexpr std::chrono::days kFeedDaysAhead{180};
inline constexpr std::chrono::days kFeedCancelledDays{30};

// A new feed: its record, and the token itself, which is stored nowhere and shown this once.
struct NewCalendarFeed {
    CalendarFeed record;
    std::string token;
};

// One appointment as a feed shows it.
struct FeedAppointment {
    AppointmentId id;
    std::string summary;  // the patient's initials and the type: "A.L. IV ketamine session"
    TimePoint start;
    TimePoint end;
    std::string room;  // the room's name; empty when the appointment has none
    bool cancelled = false;
    int sequence = 0;  // the appointment's revision, from 0 (its version - 1): calendars update a moved one
    TimePoint updated_at;
};

// A feed as fetched.
struct CalendarFeedView {
    std::string name;         // what the calendar application calls it: "kclinic: <display name or email>"
    std::string owner_email;  // whose schedule it is
    TimePoint generated_at;
    std::vector<FeedAppointment> appointments;  // by start, then id
};

// The patient's initials as a feed shows them: the first letter of the given and of the family name, each followed
// by a full stop ("Ada", "Lovelace" -> "A.L."). Leading spaces and punctuation are skipped ("O'Brien" -> "O.",
// "'t Hooft" -> "T."); ASCII letters are upper-cased, any other letter is kept as written (one UTF-8 code point); a
// name with no letter gives nothing.
[[nodiscard]] std::string PatientInitials(std::string_view given_name, std::string_view family_name);

// How a feed names an appointment type ("IV ketamine session").
[[nodiscard]] std::string_view FeedTypeLabel(clinical::AppointmentType type);

class CalendarFeeds {
public:
    // `store`, `clock` and `credentials` must outlive this object. Thread-safe when they are.
    CalendarFeeds(Store& store, const Clock& clock, const Credentials& credentials)
        : store_(store), clock_(clock), credentials_(credentials) {}

    // A new feed for the user with `email`, revoking their live one (whose URL stops working at once). Errors:
    // kNotFound "email"; kFailedPrecondition "email" when the user is disabled, or is a patient (a patient's
    // appointments are not a staff schedule).
    Result<NewCalendarFeed> CreateFeed(const Actor& actor, std::string_view email);
    // The user's live feed (without its token, which is kept nowhere); nullopt when none. kNotFound "email".
    Result<std::optional<CalendarFeed>> GetFeed(const Actor& actor, std::string_view email);
    // Revokes the user's live feed and returns it. Errors: kNotFound "email" when no such user, kNotFound
    // "calendar_feed" when the user has no live feed.
    Result<CalendarFeed> RevokeFeed(const Actor& actor, std::string_view email);

    // The appointments of the feed whose token is `token`, fetched from `origin` (an IP address): those its owner is
    // the staff member of, within the window above. Error kNotFound "token", the same for a token never issued and
    // one revoked (UserRecords::DisableUser revokes the user's feed), so a caller learns nothing about which.
    Result<CalendarFeedView> ReadFeed(std::string_view token, std::string_view origin);

private:
    Store& store_;
    const Clock& clock_;
    const Credentials& credentials_;
};

}  // namespace kclinic::app
