// `kclinic serve --smtp` against a real SMTP server (Debian's python3-aiosmtpd): a reminder written to the outbox
// is delivered exactly once even when the server is killed with SIGKILL between the write and the delivery.

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "adapters/mail/testing/smtp_test_server.hpp"
#include "adapters/storage/open_store.hpp"
#include "cli/testing/serve_process.hpp"

namespace {

using kclinic::Result;
using kclinic::Status;
using kclinic::adapters::mail::testing::SmtpTestServer;
using kclinic::adapters::mail::testing::TemporaryFolder;
using kclinic::cli::testing::ServeProcess;
namespace app = kclinic::app;

class OutboxServeTest : public ::testing::Test {
protected:
    // Writes a reminder due `in` from now straight into the database, as a booking's transaction would (the
    // server is not running), and returns the store's answer.
    void WriteReminder(const std::string& key, std::chrono::seconds in) {
        Result<std::unique_ptr<app::Store>> store = kclinic::adapters::storage::OpenStore(db_);
        ASSERT_TRUE(store.ok()) << store.error().ToString();
        app::OutboxMessage message;
        message.idempotency_key = key;
        message.recipient = "ada@home.example";
        message.subject = "Reminder: your appointment";
        message.body = "Hello,\n";
        message.due_at = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()) + in;
        message.created_at = message.due_at - in;
        const Status written =
            (*store)->Write([&](app::StoreTransaction& tx) { return StatusOf(tx.InsertOutboxMessage(message)); });
        ASSERT_TRUE(written.ok()) << written.error().ToString();
    }

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

    // `kclinic serve --smtp` on this test's database; the process once its two start-up lines are read.
    std::unique_ptr<ServeProcess> Serve(std::uint16_t smtp_port) {
        auto process = std::make_unique<ServeProcess>(std::vector<std::string>{
            "serve", "--db", db_, "--listen", "127.0.0.1:0", "--smtp", "127.0.0.1:" + std::to_string(smtp_port),
            "--smtp-from", "Lakeside Clinic <reminders@lakeside.example>", "--smtp-tls", "off"});
        EXPECT_EQ(process->NextLine().rfind("kclinic serving on http://127.0.0.1:", 0), 0U);
        EXPECT_EQ(process->NextLine(),
                  "kclinic sending the outbox through smtp 127.0.0.1:" + std::to_string(smtp_port) +
                      " (tls: off, from: Lakeside Clinic <reminders@lakeside.example>)");
        return process;
    }

    TemporaryFolder folder_;
    TemporaryFolder mail_;
    const std::string db_ = "sqlite:" + folder_.path() + "/clinic.db";
};

TEST_F(OutboxServeTest, AReminderArrivesExactlyOnceAcrossASigkill) {
    SmtpTestServer smtp(mail_.path(), {});
    // Due once the first server is surely up, so that it dies holding the undelivered reminder.
    WriteReminder("reminder:41:1:2h", std::chrono::seconds{15});

    std::unique_ptr<ServeProcess> first = Serve(smtp.port());
    EXPECT_EQ(first->StopWith(SIGKILL), -1);
    ASSERT_TRUE(smtp.Received().empty()) << "delivered before the kill: the test proves nothing";
    EXPECT_EQ(Stored("reminder:41:1:2h").status, app::OutboxStatus::kPending);

    std::unique_ptr<ServeProcess> second = Serve(smtp.port());
    const std::vector<kclinic::adapters::mail::testing::ReceivedMessage> received = smtp.WaitFor(1, 60000);
    ASSERT_EQ(received.size(), 1U);
    EXPECT_NE(received[0].data.find("Message-ID: <reminder-41-1-2h@lakeside.example>\r\n"), std::string::npos)
        << received[0].data;
    // Two more polls of the sender loop (every 5 s) send nothing more.
    std::this_thread::sleep_for(std::chrono::seconds{11});
    EXPECT_EQ(smtp.Received().size(), 1U);
    EXPECT_EQ(second->StopWith(SIGTERM), 0) << second->RestOfOutput();
    const app::OutboxMessage sent = Stored("reminder:41:1:2h");
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
