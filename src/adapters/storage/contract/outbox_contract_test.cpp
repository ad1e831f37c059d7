// The transactional outbox on both backends: what OutboxTransaction promises (a unique idempotency key, claims
// with a lease that no two senders share, an outcome recorded only for the claim it belongs to, cancellation by
// appointment) and what the schema itself refuses (migrations/0015_outbox.sql).

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"
#include "app/reminders.hpp"
#include "app/user_records.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

class OutboxContractTest : public UseCaseTest {
protected:
    // A pending message to `recipient`, due At(due_seconds), about `appointment`, keyed by `key`.
    static app::OutboxMessage Message(const std::string& key, int due_seconds,
                                      std::optional<app::AppointmentId> appointment = std::nullopt) {
        app::OutboxMessage message;
        message.idempotency_key = key;
        message.recipient = "ada@example.org";
        message.subject = "Your appointment";
        message.body = "See you soon.\n";
        message.appointment = appointment;
        message.due_at = At(due_seconds);
        message.created_at = At(0);
        return message;
    }

    Result<app::OutboxMessageId> Insert(const app::OutboxMessage& message) {
        Result<app::OutboxMessageId> id = app::OutboxMessageId{};
        Status written = store().Write([&](app::StoreTransaction& tx) -> Status {
            id = tx.InsertOutboxMessage(message);
            return StatusOf(id);
        });
        if (!written.ok()) {
            return written.error();
        }
        return id;
    }

    std::vector<app::OutboxMessage> Claim(app::TimePoint now, app::TimePoint lease_until, int limit = 10) {
        std::vector<app::OutboxMessage> claimed;
        Status written = store().Write([&](app::StoreTransaction& tx) -> Status {
            ASSIGN_OR_RETURN(claimed, tx.ClaimDueOutboxMessages(now, lease_until, limit));
            return Status::Ok();
        });
        EXPECT_TRUE(written.ok()) << written.error().ToString();
        return claimed;
    }

    // Claims the one message due at At(0) and records it sent at At(1).
    void SendTheOneDueAtStart() {
        std::vector<app::OutboxMessage> claimed = Claim(At(0), At(300));
        ASSERT_EQ(claimed.size(), 1u);
        claimed[0].status = app::OutboxStatus::kSent;
        claimed[0].sent_at = At(1);
        claimed[0].next_attempt_at.reset();
        const Status sent = Update(claimed[0]);
        ASSERT_TRUE(sent.ok()) << sent.error().ToString();
    }

    Status Update(const app::OutboxMessage& message) {
        return store().Write([&](app::StoreTransaction& tx) { return tx.UpdateOutboxDelivery(message); });
    }

    // The messages with `status` (any when unset), about `appointment` (any when unset), after `after_id`.
    std::vector<app::OutboxMessage> List(std::optional<app::OutboxStatus> status = std::nullopt,
                                         std::optional<app::AppointmentId> appointment = std::nullopt,
                                         std::int64_t after_id = 0, int limit = 100) {
        app::OutboxFilter filter;
        filter.status = status;
        filter.appointment = appointment;
        filter.after_id = after_id;
        filter.limit = limit;
        std::vector<app::OutboxMessage> listed;
        Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
            ASSIGN_OR_RETURN(listed, tx.ListOutboxMessages(filter));
            return Status::Ok();
        });
        EXPECT_TRUE(read.ok()) << read.error().ToString();
        return listed;
    }
};

TEST_P(OutboxContractTest, StoresAMessageAndRefusesASecondWithItsKey) {
    app::OutboxMessage message = Message("reminder:7:1:24h", 60, app::AppointmentId{7});
    Result<app::OutboxMessageId> id = Insert(message);
    ASSERT_TRUE(id.ok()) << id.error().ToString();

    Result<app::OutboxMessageId> again = Insert(Message("reminder:7:1:24h", 120));
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
    EXPECT_EQ(again.error().field, "idempotency_key");

    const std::vector<app::OutboxMessage> listed = List();
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].id, *id);
    EXPECT_EQ(listed[0].idempotency_key, "reminder:7:1:24h");
    EXPECT_EQ(listed[0].recipient, "ada@example.org");
    EXPECT_EQ(listed[0].subject, "Your appointment");
    EXPECT_EQ(listed[0].body, "See you soon.\n");
    EXPECT_EQ(listed[0].appointment, app::AppointmentId{7});
    EXPECT_EQ(listed[0].due_at, At(60));
    EXPECT_EQ(listed[0].status, app::OutboxStatus::kPending);
    EXPECT_EQ(listed[0].attempts, 0);
    EXPECT_FALSE(listed[0].next_attempt_at.has_value());
    EXPECT_EQ(listed[0].last_error, "");
    EXPECT_FALSE(listed[0].sent_at.has_value());
    EXPECT_EQ(listed[0].created_at, At(0));
}

TEST_P(OutboxContractTest, ClaimsDueMessagesOldestFirstOnceUntilTheLeaseEnds) {
    ASSERT_TRUE(Insert(Message("later", 120)).ok());
    ASSERT_TRUE(Insert(Message("second", 60)).ok());
    ASSERT_TRUE(Insert(Message("first", 30)).ok());
    ASSERT_TRUE(Insert(Message("not-yet", 600)).ok());

    EXPECT_TRUE(Claim(At(10), At(310)).empty());  // nothing is due before its time

    std::vector<app::OutboxMessage> claimed = Claim(At(120), At(420), 2);
    ASSERT_EQ(claimed.size(), 2u);
    EXPECT_EQ(claimed[0].idempotency_key, "first");
    EXPECT_EQ(claimed[1].idempotency_key, "second");
    EXPECT_EQ(claimed[0].attempts, 1);
    EXPECT_EQ(claimed[0].next_attempt_at, At(420));

    // Within the lease, a second sender gets only what no one holds.
    claimed = Claim(At(121), At(421));
    ASSERT_EQ(claimed.size(), 1u);
    EXPECT_EQ(claimed[0].idempotency_key, "later");

    // A sender that died leaves its messages due again when its lease ends, never lost.
    claimed = Claim(At(420), At(720));
    ASSERT_EQ(claimed.size(), 2u);
    EXPECT_EQ(claimed[0].idempotency_key, "first");
    EXPECT_EQ(claimed[0].attempts, 2);
}

TEST_P(OutboxContractTest, RecordsAnOutcomeOnlyForTheClaimItBelongsTo) {
    ASSERT_TRUE(Insert(Message("m", 0)).ok());
    std::vector<app::OutboxMessage> first = Claim(At(0), At(300));
    ASSERT_EQ(first.size(), 1u);
    // The lease ran out and another sender claimed it again: the first claim's late outcome changes nothing.
    std::vector<app::OutboxMessage> second = Claim(At(300), At(600));
    ASSERT_EQ(second.size(), 1u);

    app::OutboxMessage late = first[0];
    late.status = app::OutboxStatus::kSent;
    late.sent_at = At(301);
    late.next_attempt_at.reset();
    const Status refused = Update(late);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
    EXPECT_EQ(refused.error().field, "outbox_message");

    // A transient failure: pending again with a retry time and the server's text.
    app::OutboxMessage retry = second[0];
    retry.next_attempt_at = At(360);
    retry.last_error = "451 4.3.0 try again later";
    ASSERT_TRUE(Update(retry).ok());
    EXPECT_TRUE(Claim(At(359), At(659)).empty());
    std::vector<app::OutboxMessage> third = Claim(At(360), At(660));
    ASSERT_EQ(third.size(), 1u);
    EXPECT_EQ(third[0].attempts, 3);
    EXPECT_EQ(third[0].last_error, "451 4.3.0 try again later");

    app::OutboxMessage sent = third[0];
    sent.status = app::OutboxStatus::kSent;
    sent.sent_at = At(361);
    sent.next_attempt_at.reset();
    sent.last_error.clear();
    ASSERT_TRUE(Update(sent).ok());
    EXPECT_FALSE(Update(sent).ok());  // sent is final
    EXPECT_TRUE(Claim(At(100000), At(100300)).empty());

    const std::vector<app::OutboxMessage> listed = List(app::OutboxStatus::kSent);
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].sent_at, At(361));
    EXPECT_EQ(listed[0].attempts, 3);
}

TEST_P(OutboxContractTest, AFailedMessageKeepsTheServersText) {
    ASSERT_TRUE(Insert(Message("m", 0)).ok());
    std::vector<app::OutboxMessage> claimed = Claim(At(0), At(300));
    ASSERT_EQ(claimed.size(), 1u);
    claimed[0].status = app::OutboxStatus::kFailed;
    claimed[0].next_attempt_at.reset();
    claimed[0].last_error = "550 5.1.1 mailbox unavailable";
    ASSERT_TRUE(Update(claimed[0]).ok());
    const std::vector<app::OutboxMessage> failed = List(app::OutboxStatus::kFailed);
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].last_error, "550 5.1.1 mailbox unavailable");
    EXPECT_TRUE(Claim(At(100000), At(100300)).empty());
}

TEST_P(OutboxContractTest, CancelsTheAppointmentsPendingMessagesOnly) {
    ASSERT_TRUE(Insert(Message("sent", 0, app::AppointmentId{5})).ok());
    ASSERT_TRUE(Insert(Message("pending", 600, app::AppointmentId{5})).ok());
    ASSERT_TRUE(Insert(Message("other", 600, app::AppointmentId{6})).ok());
    SendTheOneDueAtStart();

    ASSERT_TRUE(
        store().Write([](app::StoreTransaction& tx) { return tx.CancelOutboxMessages(app::AppointmentId{5}); }).ok());
    ASSERT_TRUE(store()
                    .Write([](app::StoreTransaction& tx) {
                        return tx.CancelOutboxMessages(app::AppointmentId{99});  // none is no error
                    })
                    .ok());

    const std::vector<app::OutboxMessage> of_five = List(std::nullopt, app::AppointmentId{5});
    ASSERT_EQ(of_five.size(), 2u);
    EXPECT_EQ(of_five[0].status, app::OutboxStatus::kSent);
    EXPECT_EQ(of_five[1].status, app::OutboxStatus::kCancelled);
    const std::vector<app::OutboxMessage> due = Claim(At(600), At(900));
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].idempotency_key, "other");
}

TEST_P(OutboxContractTest, ListsByKeysetPages) {
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(Insert(Message("m" + std::to_string(i), i)).ok());
    }
    const std::vector<app::OutboxMessage> page1 = List(std::nullopt, std::nullopt, 0, 3);
    ASSERT_EQ(page1.size(), 3u);
    const std::vector<app::OutboxMessage> page2 = List(std::nullopt, std::nullopt, page1.back().id.value, 3);
    ASSERT_EQ(page2.size(), 2u);
    EXPECT_EQ(page2[0].idempotency_key, "m3");
    EXPECT_TRUE(List(app::OutboxStatus::kCancelled).empty());
}

TEST_P(OutboxContractTest, ConcurrentSendersNeverClaimTheSameMessage) {
    constexpr int kMessages = 60;
    for (int i = 0; i < kMessages; ++i) {
        ASSERT_TRUE(Insert(Message("m" + std::to_string(i), 0)).ok());
    }
    std::mutex mutex;
    std::vector<std::string> claimed;
    constexpr int kSenders = 4;
    std::vector<std::thread> senders;
    senders.reserve(kSenders);
    for (int t = 0; t < kSenders; ++t) {
        senders.emplace_back([&] {
            for (;;) {
                std::vector<app::OutboxMessage> batch;
                Status written = store().Write([&](app::StoreTransaction& tx) -> Status {
                    ASSIGN_OR_RETURN(batch, tx.ClaimDueOutboxMessages(At(0), At(300), 4));
                    return Status::Ok();
                });
                const std::scoped_lock lock(mutex);
                EXPECT_TRUE(written.ok()) << written.error().ToString();
                if (!written.ok() || batch.empty()) {
                    return;
                }
                for (const app::OutboxMessage& message : batch) {
                    claimed.push_back(message.idempotency_key);
                }
            }
        });
    }
    for (std::thread& sender : senders) {
        sender.join();
    }
    EXPECT_EQ(claimed.size(), std::size_t{kMessages});
    EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), std::size_t{kMessages});
}

TEST_P(OutboxContractTest, TheSchemaKeepsContentFixedOutcomesFinalAndEveryMessage) {
    ASSERT_TRUE(Insert(Message("pending", 600)).ok());
    ASSERT_TRUE(Insert(Message("sent", 0)).ok());
    SendTheOneDueAtStart();

    for (const std::string statement : {
             "UPDATE outbox_messages SET body = 'changed' WHERE idempotency_key = 'pending'",
             "UPDATE outbox_messages SET recipient = 'eve@example.org' WHERE idempotency_key = 'pending'",
             "UPDATE outbox_messages SET status = 'pending', sent_at = NULL WHERE idempotency_key = 'sent'",
             "UPDATE outbox_messages SET status = 'sent' WHERE idempotency_key = 'pending'",  // sent needs sent_at
             "DELETE FROM outbox_messages WHERE idempotency_key = 'pending'",
         }) {
        EXPECT_FALSE(database().ExecuteDirectly(statement).ok()) << statement;
    }
    EXPECT_TRUE(
        database().ExecuteDirectly("UPDATE outbox_messages SET attempts = 5 WHERE idempotency_key = 'pending'").ok());
    EXPECT_EQ(List().size(), 2u);
}

// An esketamine session of `patient` two days after At(0) (2026-09-23 14:13:20Z: 10:13 in New York), stored as
// appointment 41, version 1.
app::Appointment EsketamineSession(app::PatientId patient) {
    app::Appointment appointment;
    appointment.id = app::AppointmentId{41};
    appointment.patient = patient;
    appointment.type = clinical::AppointmentType::kEsketamineSession;
    appointment.start = At(0) + hours{48};
    appointment.end = appointment.start + hours{2} + minutes{45};
    appointment.staff = "nurse@clinic.example";
    return appointment;
}

TEST_P(OutboxContractTest, WritesAnAppointmentsRemindersToThePatientsPortalEmail) {
    const app::PatientId patient = Register("MRN-1");
    ASSERT_TRUE(clinic()
                    .users
                    .AddUser(admin_, app::NewUser{"Ada@Home.Example", "Ada", app::Role::kPatient,
                                                  "tulip-granite-lantern", patient})
                    .ok());
    Result<clinical::ClinicZone> new_york = zones_.Load("America/New_York");
    ASSERT_TRUE(new_york.ok()) << new_york.error().ToString();
    const app::ReminderPolicy policy{{hours{24}, hours{2}}, "Lakeside Clinic"};
    app::Appointment appointment = EsketamineSession(patient);

    Result<int> written = 0;
    ASSERT_TRUE(store()
                    .Write([&](app::StoreTransaction& tx) -> Status {
                        written = app::WriteReminders(tx, appointment, policy, *new_york, At(0));
                        return StatusOf(written);
                    })
                    .ok());
    EXPECT_EQ(*written, 2);
    std::vector<app::OutboxMessage> listed = List(std::nullopt, appointment.id);
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[0].idempotency_key, "reminder:41:1:24h");
    EXPECT_EQ(listed[1].idempotency_key, "reminder:41:1:2h");
    EXPECT_EQ(listed[0].due_at, appointment.start - hours{24});
    EXPECT_EQ(listed[1].due_at, appointment.start - hours{2});
    EXPECT_EQ(listed[0].recipient, "ada@home.example");
    EXPECT_EQ(listed[0].subject, "Reminder: your appointment on Wednesday 23 September 2026 at 10:13");
    std::string body = listed[0].body;  // its lines joined again
    std::replace(body.begin(), body.end(), '\n', ' ');
    EXPECT_NE(body.find("from 10:13 until about 12:58 (clinic time, America/New_York)"), std::string::npos) << body;
    EXPECT_NE(body.find("do not drink for 30 minutes"), std::string::npos) << body;

    // The same version's reminders again: refused, and the transaction that tried writes nothing.
    Status again = store().Write([&](app::StoreTransaction& tx) {
        return StatusOf(app::WriteReminders(tx, appointment, policy, *new_york, At(0)));
    });
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().field, "idempotency_key");

    // Moved to a version booked 3 hours before its start: the old reminders are cancelled, and only the 2-hour one
    // is still ahead.
    appointment.version = 2;
    ASSERT_TRUE(store()
                    .Write([&](app::StoreTransaction& tx) -> Status {
                        RETURN_IF_ERROR(tx.CancelOutboxMessages(appointment.id));
                        written = app::WriteReminders(tx, appointment, policy, *new_york, appointment.start - hours{3});
                        return StatusOf(written);
                    })
                    .ok());
    EXPECT_EQ(*written, 1);
    listed = List(app::OutboxStatus::kPending, appointment.id);
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].idempotency_key, "reminder:41:2:2h");
    EXPECT_EQ(List(app::OutboxStatus::kCancelled).size(), 2u);
}

TEST_P(OutboxContractTest, APatientWithoutAPortalAccountGetsNoReminder) {
    const app::PatientId patient = Register("MRN-1");
    Result<int> written = -1;
    ASSERT_TRUE(store()
                    .Write([&](app::StoreTransaction& tx) -> Status {
                        written = app::WriteReminders(tx, EsketamineSession(patient), {{hours{24}, hours{2}}, ""},
                                                      clinical::ClinicZone::Utc(), At(0));
                        return StatusOf(written);
                    })
                    .ok());
    EXPECT_EQ(*written, 0);
    EXPECT_TRUE(List().empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName());

}  // namespace
}  // namespace kclinic::adapters::storage::contract
