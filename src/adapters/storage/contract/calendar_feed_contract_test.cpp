// The storage contract for the clinicians' calendar feeds (app::CalendarFeeds) on a real SQLite file and a real
// PostgreSQL server, with the real libsodium tokens: a feed's token is shown once and kept only as its digest, a new
// feed revokes the old, every refusal writes nothing, and a fetched feed shows its owner's appointments in its window
// with no more of a patient than their initials.

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::Role;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

constexpr std::string_view kPassword = "tulip-granite-lantern";
constexpr std::string_view kOrigin = "203.0.113.5";

class CalendarFeedContractTest : public UseCaseTest {
protected:
    void SetUp() override {
        UseCaseTest::SetUp();
        AddUser(nurse_.user, Role::kNurse);
    }

    app::NewCalendarFeed CreateFeed(const app::Actor& actor, const std::string& email) {
        Result<app::NewCalendarFeed> created = clinic().calendar_feeds.CreateFeed(actor, email);
        EXPECT_TRUE(created.ok()) << created.error().ToString();
        return created.ok() ? *created : app::NewCalendarFeed{};
    }

    app::CalendarFeedView ReadFeed(const std::string& token) {
        Result<app::CalendarFeedView> view = clinic().calendar_feeds.ReadFeed(token, kOrigin);
        EXPECT_TRUE(view.ok()) << view.error().ToString();
        return view.ok() ? *view : app::CalendarFeedView{};
    }

    // The user's live feed as stored, read without an audit entry.
    std::optional<app::CalendarFeed> LiveFeed(const std::string& email) {
        std::optional<app::CalendarFeed> feed;
        const Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
            ASSIGN_OR_RETURN(const app::User user, app::UserByEmail(tx, email));
            ASSIGN_OR_RETURN(feed, tx.FindLiveCalendarFeed(user.id));
            return Status::Ok();
        });
        EXPECT_TRUE(read.ok()) << read.error().ToString();
        return feed;
    }

    // Runs `refused`, expects `code` on `field`, and checks that no audit entry and no feed change was written.
    template <typename T, typename Refused>
    void ExpectRefusedWritingNothing(Refused refused, ErrorCode code, const std::string& field) {
        const std::size_t audit_before = Audit().size();
        const std::optional<app::CalendarFeed> feed_before = LiveFeed(nurse_.user);
        Result<T> result = refused();
        ASSERT_TRUE(IsRefusal(result, code, field));
        EXPECT_EQ(Audit().size(), audit_before) << result.error().ToString();
        const std::optional<app::CalendarFeed> feed_after = LiveFeed(nurse_.user);
        EXPECT_EQ(feed_after.has_value(), feed_before.has_value());
        if (feed_after && feed_before) {
            EXPECT_EQ(feed_after->id, feed_before->id);
        }
    }

    app::RoomId InsertRoom(const std::string& name) {
        app::TreatmentRoom room;
        room.name = name;
        Result<app::RoomId> id = store().Write([&](app::StoreTransaction& tx) { return tx.InsertRoom(room); });
        EXPECT_TRUE(id.ok()) << id.error().ToString();
        return id.ok() ? *id : app::RoomId{};
    }

    // Stores `appointment` as given (the booking rules are the scheduling use cases', tested there).
    app::AppointmentId InsertAppointment(app::Appointment appointment) {
        appointment.created_by = nurse_.user;
        appointment.updated_by = nurse_.user;
        Result<app::AppointmentId> id =
            store().Write([&](app::StoreTransaction& tx) { return tx.InsertAppointment(appointment); });
        EXPECT_TRUE(id.ok()) << id.error().ToString();
        return id.ok() ? *id : app::AppointmentId{};
    }

    app::Appointment NewAppointment(app::PatientId patient, clinical::AppointmentType type, app::TimePoint start,
                                    minutes length, const std::string& staff) {
        app::Appointment appointment;
        appointment.patient = patient;
        appointment.type = type;
        appointment.start = start;
        appointment.end = start + length;
        appointment.staff = staff;
        appointment.created_at = kStart - days{60};
        appointment.updated_at = kStart - days{60};
        return appointment;
    }
};

TEST_P(CalendarFeedContractTest, TheTokenIsShownOnceAndStoredOnlyAsItsDigest) {
    const app::NewCalendarFeed created = CreateFeed(nurse_, "NURSE@clinic.example");
    EXPECT_EQ(created.token.size(), 43U);  // 32 random bytes, base64url without padding
    EXPECT_EQ(created.record.token_digest, credentials_.TokenDigest(created.token));
    EXPECT_EQ(created.record.created_by, nurse_.user);
    const std::optional<app::CalendarFeed> stored = LiveFeed(nurse_.user);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->id, created.record.id);
    EXPECT_EQ(stored->token_digest, created.record.token_digest);
    EXPECT_NE(stored->token_digest, created.token);
    EXPECT_EQ(stored->created_at, kStart);
    EXPECT_FALSE(stored->revoked_at.has_value());

    Result<std::optional<app::CalendarFeed>> shown = clinic().calendar_feeds.GetFeed(nurse_, nurse_.user);
    ASSERT_TRUE(shown.ok()) << shown.error().ToString();
    ASSERT_TRUE(shown->has_value());
    EXPECT_EQ((*shown)->id, created.record.id);

    const app::CalendarFeedView view = ReadFeed(created.token);
    EXPECT_EQ(view.owner_email, nurse_.user);
    EXPECT_EQ(view.generated_at, kStart);
    EXPECT_TRUE(view.appointments.empty());
    for (const app::AuditEntry& entry : Audit()) {
        const std::string text = entry.actor + "|" + entry.origin + "|" + entry.action + "|" + entry.detail;
        EXPECT_EQ(text.find(created.token), std::string::npos) << entry.action;
    }
    const std::vector<std::string> actions = AuditActions();
    ASSERT_GE(actions.size(), 3U);
    EXPECT_EQ(std::vector<std::string>(actions.end() - 3, actions.end()),
              (std::vector<std::string>{"calendar_feed.create", "calendar_feed.read", "calendar.feed"}));
}

TEST_P(CalendarFeedContractTest, ANewFeedRevokesTheOldOneAtOnce) {
    const app::NewCalendarFeed first = CreateFeed(nurse_, nurse_.user);
    clock_.Advance(minutes{5});
    const app::NewCalendarFeed second = CreateFeed(nurse_, nurse_.user);
    EXPECT_NE(second.token, first.token);
    EXPECT_NE(second.record.id, first.record.id);
    Result<app::CalendarFeedView> old = clinic().calendar_feeds.ReadFeed(first.token, kOrigin);
    ASSERT_FALSE(old.ok());
    EXPECT_EQ(old.error().code, ErrorCode::kNotFound);
    EXPECT_TRUE(clinic().calendar_feeds.ReadFeed(second.token, kOrigin).ok());
    EXPECT_EQ(LiveFeed(nurse_.user)->id, second.record.id);
    const std::vector<app::AuditEntry> audit = Audit();
    ASSERT_GE(audit.size(), 3U);
    EXPECT_EQ(audit[audit.size() - 3].action, "calendar_feed.revoke");
    EXPECT_EQ(audit[audit.size() - 3].record_id, first.record.id.value);
    EXPECT_EQ(audit[audit.size() - 2].action, "calendar_feed.create");
    EXPECT_EQ(audit[audit.size() - 2].record_id, second.record.id.value);
}

TEST_P(CalendarFeedContractTest, RevokedUnknownAndMalformedTokensAreRefusedAlikeWritingNothing) {
    const app::NewCalendarFeed created = CreateFeed(nurse_, nurse_.user);
    Result<app::CalendarFeed> revoked = clinic().calendar_feeds.RevokeFeed(nurse_, nurse_.user);
    ASSERT_TRUE(revoked.ok()) << revoked.error().ToString();
    EXPECT_EQ(revoked->id, created.record.id);
    EXPECT_EQ(revoked->revoked_at, kStart);
    EXPECT_EQ(AuditActions().back(), "calendar_feed.revoke");
    EXPECT_FALSE(LiveFeed(nurse_.user).has_value());

    std::optional<Error> first_error;
    for (const std::string& token : {created.token, std::string(43, 'A'), std::string(), std::string("../..")}) {
        ExpectRefusedWritingNothing<app::CalendarFeedView>(
            [&] { return clinic().calendar_feeds.ReadFeed(token, kOrigin); }, ErrorCode::kNotFound, "token");
        Result<app::CalendarFeedView> refused = clinic().calendar_feeds.ReadFeed(token, kOrigin);
        ASSERT_FALSE(refused.ok());
        if (!first_error) {
            first_error = refused.error();
        }
        EXPECT_EQ(refused.error().message, first_error->message) << "the answer must not say why";
    }
    ExpectRefusedWritingNothing<app::CalendarFeed>(
        [&] { return clinic().calendar_feeds.RevokeFeed(nurse_, nurse_.user); }, ErrorCode::kNotFound, "calendar_feed");
}

TEST_P(CalendarFeedContractTest, OnlyAStaffUserWhoIsActiveGetsAFeed) {
    AddUser("gone@clinic.example", Role::kNurse);
    ASSERT_TRUE(clinic().users.DisableUser(admin_, "gone@clinic.example").ok());
    const app::PatientId patient = Register("MRN-1");
    ASSERT_TRUE(
        clinic()
            .users
            .AddUser(admin_, app::NewUser{"ada@home.example", "Ada", Role::kPatient, std::string(kPassword), patient})
            .ok());
    ExpectRefusedWritingNothing<app::NewCalendarFeed>(
        [&] { return clinic().calendar_feeds.CreateFeed(admin_, "nobody@clinic.example"); }, ErrorCode::kNotFound,
        "email");
    ExpectRefusedWritingNothing<app::NewCalendarFeed>(
        [&] { return clinic().calendar_feeds.CreateFeed(admin_, "not an address"); }, ErrorCode::kInvalidArgument,
        "email");
    ExpectRefusedWritingNothing<app::NewCalendarFeed>(
        [&] { return clinic().calendar_feeds.CreateFeed(admin_, "gone@clinic.example"); },
        ErrorCode::kFailedPrecondition, "email");
    ExpectRefusedWritingNothing<app::NewCalendarFeed>(
        [&] { return clinic().calendar_feeds.CreateFeed(admin_, "ada@home.example"); }, ErrorCode::kFailedPrecondition,
        "email");
    ExpectRefusedWritingNothing<app::CalendarFeed>(
        [&] { return clinic().calendar_feeds.RevokeFeed(admin_, "nobody@clinic.example"); }, ErrorCode::kNotFound,
        "email");
}

TEST_P(CalendarFeedContractTest, AnAdminRevokesAnyonesFeedAndDisablingRevokesIt) {
    const app::NewCalendarFeed nurses = CreateFeed(nurse_, nurse_.user);
    Result<app::CalendarFeed> revoked = clinic().calendar_feeds.RevokeFeed(admin_, nurse_.user);
    ASSERT_TRUE(revoked.ok()) << revoked.error().ToString();
    EXPECT_EQ(Audit().back().action, "calendar_feed.revoke");
    EXPECT_EQ(Audit().back().actor, admin_.user);
    EXPECT_FALSE(clinic().calendar_feeds.ReadFeed(nurses.token, kOrigin).ok());

    AddUser(prescriber_.user, Role::kPrescriber);
    const app::NewCalendarFeed prescribers = CreateFeed(prescriber_, prescriber_.user);
    ASSERT_TRUE(clinic().calendar_feeds.ReadFeed(prescribers.token, kOrigin).ok());
    ASSERT_TRUE(clinic().users.DisableUser(admin_, prescriber_.user).ok());
    Result<app::CalendarFeedView> after = clinic().calendar_feeds.ReadFeed(prescribers.token, kOrigin);
    ASSERT_FALSE(after.ok());
    EXPECT_EQ(after.error().code, ErrorCode::kNotFound);
    EXPECT_FALSE(LiveFeed(prescriber_.user).has_value());
}

TEST_P(CalendarFeedContractTest, TheFeedShowsItsOwnersAppointmentsInItsWindowWithInitialsOnly) {
    const app::PatientId ada = Register("MRN-ADA");  // Ada Example
    app::NewPatient zoe = NewPatient("MRN-ZOE");
    zoe.given_name = "Zoë";
    zoe.family_name = "Øvergaard";
    const app::PatientId zoe_id = Register(zoe);
    const app::RoomId chair = InsertRoom("Chair 2");
    const std::string other_nurse = "other@clinic.example";

    // Tomorrow's infusion in Chair 2, moved twice (version 3).
    app::Appointment infusion =
        NewAppointment(ada, clinical::AppointmentType::kIvSession, kStart + days{1}, minutes{130}, nurse_.user);
    infusion.room = chair;
    infusion.id = InsertAppointment(infusion);
    for (int move = 1; move <= 2; ++move) {
        Result<app::Appointment> stored =
            store().Write([&](app::StoreTransaction& tx) { return tx.GetAppointment(infusion.id); });
        ASSERT_TRUE(stored.ok()) << stored.error().ToString();
        app::Appointment later = *stored;
        later.start += hours{1};
        later.end += hours{1};
        later.updated_at = kStart - days{move};
        const Status moved = store().Write([&](app::StoreTransaction& tx) { return tx.UpdateAppointment(later); });
        ASSERT_TRUE(moved.ok()) << moved.error().ToString();
    }
    // A follow-up with no room the day after, and a missed one last week (still on the clinician's calendar).
    const app::AppointmentId follow_up = InsertAppointment(
        NewAppointment(zoe_id, clinical::AppointmentType::kFollowUp, kStart + days{2}, minutes{30}, nurse_.user));
    app::Appointment missed =
        NewAppointment(ada, clinical::AppointmentType::kFollowUp, kStart - days{7}, minutes{30}, nurse_.user);
    missed.status = clinical::AppointmentStatus::kNoShow;
    const app::AppointmentId missed_id = InsertAppointment(missed);
    // Cancelled 10 days ago: shown cancelled. Cancelled 40 days ago: gone from the feed.
    app::Appointment recently_cancelled =
        NewAppointment(ada, clinical::AppointmentType::kPrescriberReview, kStart + days{3}, minutes{30}, nurse_.user);
    recently_cancelled.status = clinical::AppointmentStatus::kCancelled;
    recently_cancelled.status_reason = "patient called";
    recently_cancelled.updated_at = kStart - days{10};
    const app::AppointmentId cancelled_id = InsertAppointment(recently_cancelled);
    app::Appointment long_cancelled = recently_cancelled;
    long_cancelled.start = kStart + days{4};
    long_cancelled.end = long_cancelled.start + minutes{30};
    long_cancelled.updated_at = kStart - days{40};
    InsertAppointment(long_cancelled);
    // Outside the window, and another clinician's.
    InsertAppointment(
        NewAppointment(ada, clinical::AppointmentType::kFollowUp, kStart - days{31}, minutes{30}, nurse_.user));
    InsertAppointment(
        NewAppointment(ada, clinical::AppointmentType::kFollowUp, kStart + days{181}, minutes{30}, nurse_.user));
    InsertAppointment(
        NewAppointment(ada, clinical::AppointmentType::kFollowUp, kStart + days{1}, minutes{30}, other_nurse));

    const app::NewCalendarFeed created = CreateFeed(nurse_, nurse_.user);
    const app::CalendarFeedView view = ReadFeed(created.token);
    ASSERT_EQ(view.appointments.size(), 4U);
    const app::FeedAppointment& shown_missed = view.appointments[0];
    EXPECT_EQ(shown_missed.id, missed_id);
    EXPECT_EQ(shown_missed.summary, "A.E. Follow-up");
    EXPECT_FALSE(shown_missed.cancelled);

    const app::FeedAppointment& shown_infusion = view.appointments[1];
    EXPECT_EQ(shown_infusion.id, infusion.id);
    EXPECT_EQ(shown_infusion.summary, "A.E. IV ketamine session");
    EXPECT_EQ(shown_infusion.start, kStart + days{1} + hours{2});
    EXPECT_EQ(shown_infusion.end, kStart + days{1} + hours{2} + minutes{130});
    EXPECT_EQ(shown_infusion.room, "Chair 2");
    EXPECT_EQ(shown_infusion.sequence, 2);
    EXPECT_EQ(shown_infusion.updated_at, kStart - days{2});
    EXPECT_FALSE(shown_infusion.cancelled);

    const app::FeedAppointment& shown_follow_up = view.appointments[2];
    EXPECT_EQ(shown_follow_up.id, follow_up);
    EXPECT_EQ(shown_follow_up.summary, "Z.Ø. Follow-up");
    EXPECT_EQ(shown_follow_up.room, "");

    const app::FeedAppointment& shown_cancelled = view.appointments[3];
    EXPECT_EQ(shown_cancelled.id, cancelled_id);
    EXPECT_EQ(shown_cancelled.summary, "A.E. Prescriber review");
    EXPECT_TRUE(shown_cancelled.cancelled);

    for (const app::FeedAppointment& appointment : view.appointments) {
        for (const std::string_view identifying : {"Ada", "Example", "MRN", "Zoë", "vergaard", "patient called"}) {
            EXPECT_EQ(appointment.summary.find(identifying), std::string::npos) << appointment.summary;
            EXPECT_EQ(appointment.room.find(identifying), std::string::npos) << appointment.room;
        }
    }
    const app::AuditEntry fetched = Audit().back();
    EXPECT_EQ(fetched.action, "calendar.feed");
    EXPECT_EQ(fetched.actor, nurse_.user);
    EXPECT_EQ(fetched.origin, kOrigin);
    EXPECT_EQ(fetched.record_type, "calendar_feed");
    EXPECT_EQ(fetched.record_id, created.record.id.value);
    EXPECT_EQ(fetched.detail, "appointments=4");
}

TEST_P(CalendarFeedContractTest, TheSchemaItselfRefusesRewritingFeeds) {
    const app::NewCalendarFeed first = CreateFeed(nurse_, nurse_.user);
    const app::NewCalendarFeed live = CreateFeed(nurse_, nurse_.user);
    const std::string revoked_id = std::to_string(first.record.id.value);
    const std::string live_id = std::to_string(live.record.id.value);
    const std::string user_id = std::to_string(live.record.user.value);
    for (const std::string& statement : {
             "UPDATE calendar_feeds SET revoked_at = NULL WHERE id = " + revoked_id,
             "DELETE FROM calendar_feeds WHERE id = " + revoked_id,
             "DELETE FROM calendar_feeds WHERE id = " + live_id,
             "UPDATE calendar_feeds SET token_digest = 'x' WHERE id = " + live_id,
             "UPDATE calendar_feeds SET user_id = 999 WHERE id = " + live_id,
             // A second live feed for the same user.
             "INSERT INTO calendar_feeds (user_id, token_digest, created_at, created_by) VALUES (" + user_id +
                 ", 'another-digest', 0, 'sql')",
         }) {
        EXPECT_FALSE(database().ExecuteDirectly(statement).ok()) << statement;
    }
    // What may change still can: revoking a live feed, once.
    EXPECT_TRUE(database().ExecuteDirectly("UPDATE calendar_feeds SET revoked_at = 1 WHERE id = " + live_id).ok());
    EXPECT_FALSE(LiveFeed(nurse_.user).has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, CalendarFeedContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName());

}  // namespace
}  // namespace kclinic::adapters::storage::contract
