// `kclinic serve --smtp` against a real SMTP server (Debian's python3-aiosmtpd): a reminder written to the outbox by a
// booking through the HTTP API is delivered exactly once even when the server is killed with SIGKILL between the
// booking and the delivery.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/mail/testing/smtp_test_server.hpp"
#include "adapters/storage/open_store.hpp"
#include "base/text.hpp"
#include "cli/testing/api_client.hpp"
#include "cli/testing/serve_process.hpp"

namespace {

using kclinic::Result;
using kclinic::Status;
using kclinic::adapters::mail::testing::SmtpTestServer;
using kclinic::adapters::mail::testing::TemporaryFolder;
using kclinic::cli::testing::ApiClient;
using kclinic::cli::testing::ApiResponse;
using kclinic::cli::testing::CommandRun;
using kclinic::cli::testing::RunKclinic;
using kclinic::cli::testing::ServeProcess;
namespace app = kclinic::app;

class OutboxServeTest : public ::testing::Test {
protected:
    app::OutboxMessage Stored(const std::string& key) {
        Result<std::unique_ptr<app::Store>> store = kclinic::adapters::storage::OpenStore(db_);
        EXPECT_TRUE(store.ok()) << store.error().ToString();
        std::vector<app::OutboxMessage> listed;
        if (store.ok()) {
            EXPECT_TRUE((*store)
                            ->Read([&](app::StoreTransaction& tx) -> Status {
                                ASSIGN_OR_RETURN(listed, tx.ListOutboxMessages({}));
                                return Status::Ok();
                            })
                            .ok());
        }
        for (const app::OutboxMessage& message : listed) {
            if (message.idempotency_key == key) {
                return message;
            }
        }
        ADD_FAILURE() << "no message " << key;
        return {};
    }

    // `kclinic ARGS... --db <this test's database>` to its end, `input` on stdin; its output.
    std::string Kclinic(std::vector<std::string> args, const std::string& input = "") {
        args.insert(args.end(), {"--db", db_});
        const CommandRun run = RunKclinic(args, input);
        EXPECT_EQ(run.exit_code, 0) << ::testing::PrintToString(args) << ": " << run.err;
        return run.out;
    }

    // `kclinic serve --smtp` on this test's database, once its two start-up lines are read; `port` is where it
    // listens.
    std::unique_ptr<ServeProcess> Serve(std::uint16_t smtp_port, std::uint16_t& port) {
        auto process = std::make_unique<ServeProcess>(std::vector<std::string>{
            "serve", "--db", db_, "--listen", "127.0.0.1:0", "--smtp", "127.0.0.1:" + std::to_string(smtp_port),
            "--smtp-from", "Lakeside Clinic <reminders@lakeside.example>", "--smtp-tls", "off"});
        port = process->ReadPort();
        EXPECT_EQ(process->NextLine(),
                  "kclinic sending the outbox through smtp 127.0.0.1:" + std::to_string(smtp_port) +
                      " (tls: off, from: Lakeside Clinic <reminders@lakeside.example>)");
        return process;
    }

    // `at` as RFC 3339 in UTC, to the second.
    static std::string Rfc3339(std::chrono::system_clock::time_point at) {
        const auto day = std::chrono::floor<std::chrono::days>(at);
        const std::chrono::hh_mm_ss<std::chrono::seconds> time{std::chrono::floor<std::chrono::seconds>(at - day)};
        char text[16];
        std::snprintf(text, sizeof text, "T%02d:%02d:%02dZ", static_cast<int>(time.hours().count()),
                      static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()));
        return kclinic::FormatDate(day) + text;
    }

    TemporaryFolder folder_;
    TemporaryFolder mail_;
    const std::string db_ = "sqlite:" + folder_.path() + "/clinic.db";
};

// The front desk's booking through the real HTTP API writes the reminder in its transaction; the server is killed
// with SIGKILL before the reminder is due, and the next server delivers it exactly once.
TEST_F(OutboxServeTest, AReminderBookedThroughTheApiArrivesExactlyOnceAcrossASigkill) {
    const std::string password = "correct horse battery staple";
    Kclinic({"user", "add", "doctor@lakeside.example", "--role", "prescriber"}, password + "\n");
    // The prescriber books with a password alone (a real clinic requires a second factor of them; not this test's
    // subject).
    Kclinic({"user", "second-factor-policy", "optional", "prescriber"});
    const nlohmann::json patient =
        nlohmann::json::parse(Kclinic({"patient", "add", "--mrn", "MRN-41", "--given-name", "Ada", "--family-name",
                                       "Example", "--birth-date", "1980-03-14", "--sex", "female", "--json"}),
                              nullptr, false);
    ASSERT_TRUE(patient.is_object() && patient.contains("id")) << patient;
    const std::int64_t patient_id = patient["id"].get<std::int64_t>();
    // Reminders go to the patient's portal login.
    Kclinic({"user", "add", "ada@home.example", "--role", "patient", "--patient-id", std::to_string(patient_id)},
            password + "\n");

    SmtpTestServer smtp(mail_.path(), {});
    std::uint16_t port = 0;
    std::unique_ptr<ServeProcess> first = Serve(smtp.port(), port);
    ASSERT_NE(port, 0);
    ApiClient desk(port);
    ASSERT_EQ(desk.Login("doctor@lakeside.example", password).status, 200);
    // A follow-up 2 h 20 s from now: its 2-hour reminder is due in 20 s (the 24-hour one is past and not written).
    // At night or at the weekend the clinic is closed: the prescriber books past those soft rules with a reason.
    nlohmann::json booking = {
        {"type", "follow-up"},
        {"patient_id", patient_id},
        {"start", Rfc3339(std::chrono::system_clock::now() + std::chrono::hours{2} + std::chrono::seconds{20})},
        {"staff", "doctor@lakeside.example"}};
    ApiResponse booked = desk.Post("/api/v1/appointments", booking);
    if (booked.ErrorField() == "outside_hours" || booked.ErrorField() == "clinic_closed") {
        booking["override_reason"] = "Test: the reminder must be due within seconds, whatever the hour.";
        booked = desk.Post("/api/v1/appointments", booking);
    }
    ASSERT_EQ(booked.status, 201) << booked.text;
    const std::string key = "reminder:" + std::to_string(booked.body["id"].get<std::int64_t>()) + ":1:2h";

    EXPECT_EQ(first->StopWith(SIGKILL), -1);
    ASSERT_TRUE(smtp.Received().empty()) << "delivered before the kill: the test proves nothing";
    EXPECT_EQ(Stored(key).status, app::OutboxStatus::kPending);
    EXPECT_EQ(Stored(key).recipient, "ada@home.example");

    std::unique_ptr<ServeProcess> second = Serve(smtp.port(), port);
    const std::vector<kclinic::adapters::mail::testing::ReceivedMessage> received = smtp.WaitFor(1, 60000);
    ASSERT_EQ(received.size(), 1U);
    std::string message_id = key;  // the idempotency key, ':' made '-'
    std::replace(message_id.begin(), message_id.end(), ':', '-');
    EXPECT_NE(received[0].data.find("Message-ID: <" + message_id + "@lakeside.example>\r\n"), std::string::npos)
        << received[0].data;
    // Two more polls of the sender loop (every 5 s) send nothing more.
    std::this_thread::sleep_for(std::chrono::seconds{11});
    EXPECT_EQ(smtp.Received().size(), 1U);
    EXPECT_EQ(second->StopWith(SIGTERM), 0) << second->RestOfOutput();
    const app::OutboxMessage sent = Stored(key);
    EXPECT_EQ(sent.status, app::OutboxStatus::kSent);
    EXPECT_EQ(sent.attempts, 1);
}

TEST_F(OutboxServeTest, RefusesSmtpWithoutAFromAddressOrWithABadAddress) {
    for (const std::vector<std::string>& flags : std::vector<std::vector<std::string>>{
             {"--smtp", "127.0.0.1:2525"},
             {"--smtp", "mail.example", "--smtp-from", "a@b.example"},
             {"--smtp", "127.0.0.1:2525", "--smtp-from", "a@b.example", "--smtp-tls", "maybe"}}) {
        std::vector<std::string> args{"serve", "--db", db_, "--listen", "127.0.0.1:0"};
        args.insert(args.end(), flags.begin(), flags.end());
        ServeProcess process(args);
        EXPECT_EQ(process.StopWith(0), 2) << ::testing::PrintToString(flags);
        EXPECT_NE(process.RestOfOutput().find("--smtp"), std::string::npos) << ::testing::PrintToString(flags);
    }
}

}  // namespace
