// The sender loop against a real SMTP server (testing/smtp_test_server.py on Debian's python3-aiosmtpd) and a real
// SQLite store: delivered with the right headers, refused, a server that is down and comes up, STARTTLS with a
// verified certificate, AUTH over TLS; and the retry policy as a table.

#include "adapters/mail/outbox_sender.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/mail/testing/smtp_test_server.hpp"
#include "adapters/storage/open_store.hpp"

namespace kclinic::adapters::mail {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::SmtpTestServer;
using testing::TemporaryFolder;

// The test server's options: refusing recipients, on `port`, with STARTTLS, with AUTH as `auth`.
SmtpTestServer::Options ServerOptions(bool refuse_rcpt, std::uint16_t port = 0, bool tls = false,
                                      std::string auth = "") {
    SmtpTestServer::Options options;
    options.refuse_rcpt = refuse_rcpt;
    options.port = port;
    options.tls = tls;
    options.auth = std::move(auth);
    return options;
}

const app::TimePoint kNow = std::chrono::sys_days{std::chrono::year{2026} / 9 / 22} + hours{9};

TEST(RetryPolicy, DoublesFromAMinuteToAnHour) {
    const std::vector<std::pair<int, int>> cases = {{1, 1}, {2, 2}, {3, 4}, {6, 32}, {7, 60}, {8, 60}, {30, 60}};
    for (const auto& [attempts, delay_minutes] : cases) {
        EXPECT_EQ(RetryDelay(attempts), minutes{delay_minutes}) << attempts;
    }
}

TEST(RetryPolicy, EachDeliveryHasItsOutcome) {
    app::OutboxMessage claimed;
    claimed.due_at = kNow;
    claimed.attempts = 1;
    claimed.next_attempt_at = kNow + minutes{5};  // the claim's lease
    struct Case {
        std::string name;
        SmtpDelivery::Outcome delivery;
        int attempts;
        app::TimePoint now;
        app::OutboxStatus status;
        std::optional<app::TimePoint> next_attempt_at;
    };
    const std::vector<Case> cases = {
        {"delivered", SmtpDelivery::Outcome::kDelivered, 1, kNow, app::OutboxStatus::kSent, std::nullopt},
        {"refused", SmtpDelivery::Outcome::kPermanent, 1, kNow, app::OutboxStatus::kFailed, std::nullopt},
        {"first transient", SmtpDelivery::Outcome::kTransient, 1, kNow, app::OutboxStatus::kPending, kNow + minutes{1}},
        {"third transient", SmtpDelivery::Outcome::kTransient, 3, kNow + minutes{3}, app::OutboxStatus::kPending,
         kNow + minutes{7}},
        {"retry past the lateness", SmtpDelivery::Outcome::kTransient, 5, kNow + minutes{50},
         app::OutboxStatus::kFailed, std::nullopt},
        {"last attempt", SmtpDelivery::Outcome::kTransient, kMaxAttempts, kNow, app::OutboxStatus::kFailed,
         std::nullopt},
    };
    for (const Case& c : cases) {
        claimed.attempts = c.attempts;
        const app::OutboxMessage outcome = DeliveryOutcome(claimed, SmtpDelivery{c.delivery, "421 busy"}, c.now);
        EXPECT_EQ(outcome.status, c.status) << c.name;
        EXPECT_EQ(outcome.next_attempt_at, c.next_attempt_at) << c.name;
        EXPECT_EQ(outcome.attempts, c.attempts) << c.name;
        EXPECT_EQ(outcome.sent_at.has_value(), c.status == app::OutboxStatus::kSent) << c.name;
        EXPECT_EQ(outcome.last_error.empty(), c.status == app::OutboxStatus::kSent) << c.name;
    }
}

class TestClock final : public app::Clock {
public:
    [[nodiscard]] app::TimePoint Now() const override { return app::TimePoint{app::TimePoint::duration{now_.load()}}; }
    void Advance(app::TimePoint::duration by) { now_ += by.count(); }

private:
    std::atomic<app::TimePoint::rep> now_{kNow.time_since_epoch().count()};
};

class OutboxSenderTest : public ::testing::Test {
protected:
    void SetUp() override {
        Result<std::unique_ptr<app::Store>> opened = storage::OpenStore("sqlite:" + folder_.path() + "/clinic.db");
        ASSERT_TRUE(opened.ok()) << opened.error().ToString();
        store_ = std::move(opened).value();
    }

    // A reminder to ada@home.example keyed `key`, due a minute ago.
    void Insert(const std::string& key, app::TimePoint due = kNow - minutes{1}) {
        app::OutboxMessage message;
        message.idempotency_key = key;
        message.recipient = "ada@home.example";
        message.subject = "Reminder: your appointment on Tuesday 22 September 2026 at 11:00";
        message.body = "Hello,\n\n.A line that starts with a dot\nCaf\xc3\xa9 = coffee\n";
        message.appointment = app::AppointmentId{7};
        message.due_at = due;
        message.created_at = kNow - hours{48};
        const Status written =
            store_->Write([&](app::StoreTransaction& tx) { return StatusOf(tx.InsertOutboxMessage(message)); });
        ASSERT_TRUE(written.ok()) << written.error().ToString();
    }

    app::OutboxMessage Stored(const std::string& key) {
        std::vector<app::OutboxMessage> listed;
        const Status read = store_->Read([&](app::StoreTransaction& tx) -> Status {
            ASSIGN_OR_RETURN(listed, tx.ListOutboxMessages({}));
            return Status::Ok();
        });
        EXPECT_TRUE(read.ok()) << read.error().ToString();
        for (const app::OutboxMessage& message : listed) {
            if (message.idempotency_key == key) {
                return message;
            }
        }
        ADD_FAILURE() << "no message " << key;
        return {};
    }

    static SmtpSettings Settings(std::uint16_t port) {
        SmtpSettings settings;
        settings.host = "127.0.0.1";
        settings.port = port;
        settings.from = "Lakeside Clinic <reminders@lakeside.example>";
        settings.helo_name = "kclinic.test";
        settings.timeout = seconds{20};
        return settings;
    }

    int DeliverDue(const SmtpSettings& settings) {
        OutboxSender sender(*store_, clock_, SmtpClient(settings), {}, log_, /*start_thread=*/false);
        Result<int> claimed = sender.DeliverDue();
        EXPECT_TRUE(claimed.ok()) << claimed.error().ToString();
        return claimed.ok() ? *claimed : -1;
    }

    TemporaryFolder folder_;
    TemporaryFolder mail_;
    TestClock clock_;
    std::ostringstream log_;
    std::unique_ptr<app::Store> store_;
};

TEST_F(OutboxSenderTest, DeliversADueMessageOnceWithItsHeadersAndBody) {
    SmtpTestServer server(mail_.path(), {});
    Insert("reminder:7:1:24h");
    Insert("reminder:7:1:2h", kNow + hours{22});  // not due yet
    EXPECT_EQ(DeliverDue(Settings(server.port())), 1);

    const std::vector<testing::ReceivedMessage> received = server.WaitFor(1);
    ASSERT_EQ(received.size(), 1U);
    EXPECT_EQ(received[0].mail_from, "reminders@lakeside.example");
    EXPECT_EQ(received[0].rcpt_tos, std::vector<std::string>{"ada@home.example"});
    const std::string& data = received[0].data;
    for (const std::string_view expected : {
             "Date: Tue, 22 Sep 2026 09:00:00 +0000\r\n",
             "From: Lakeside Clinic <reminders@lakeside.example>\r\n",
             "To: ada@home.example\r\n",
             "Subject: Reminder: your appointment on Tuesday 22 September 2026 at 11:00\r\n",
             "Message-ID: <reminder-7-1-24h@lakeside.example>\r\n",
             "Content-Type: text/plain; charset=utf-8\r\n",
             "Content-Transfer-Encoding: quoted-printable\r\n",
             "\r\n\r\nHello,\r\n\r\n.A line that starts with a dot\r\nCaf=C3=A9 =3D coffee\r\n",
         }) {
        EXPECT_NE(data.find(expected), std::string::npos) << expected << " in\n" << data;
    }
    const app::OutboxMessage sent = Stored("reminder:7:1:24h");
    EXPECT_EQ(sent.status, app::OutboxStatus::kSent);
    EXPECT_EQ(sent.sent_at, kNow);
    EXPECT_EQ(sent.attempts, 1);
    EXPECT_EQ(sent.last_error, "");

    clock_.Advance(hours{1});
    EXPECT_EQ(DeliverDue(Settings(server.port())), 0);  // sent is final; the 2-hour one is not due
    EXPECT_EQ(server.Received().size(), 1U);
}

TEST_F(OutboxSenderTest, ARefusalFailsTheMessageWithTheServersText) {
    SmtpTestServer server(mail_.path(), ServerOptions(true));
    Insert("reminder:7:1:24h");
    EXPECT_EQ(DeliverDue(Settings(server.port())), 1);
    const app::OutboxMessage failed = Stored("reminder:7:1:24h");
    EXPECT_EQ(failed.status, app::OutboxStatus::kFailed);
    EXPECT_EQ(failed.last_error, "550 5.1.1 <ada@home.example>: mailbox unavailable");
    EXPECT_FALSE(failed.next_attempt_at.has_value());
    EXPECT_TRUE(server.Received().empty());
    clock_.Advance(hours{1});
    EXPECT_EQ(DeliverDue(Settings(server.port())), 0);
}

TEST_F(OutboxSenderTest, AServerThatIsDownLeavesItPendingUntilItComesUp) {
    std::uint16_t port = 0;
    {
        const SmtpTestServer gone(mail_.path(), {});
        port = gone.port();
    }
    Insert("reminder:7:1:24h");
    EXPECT_EQ(DeliverDue(Settings(port)), 1);
    app::OutboxMessage waiting = Stored("reminder:7:1:24h");
    EXPECT_EQ(waiting.status, app::OutboxStatus::kPending);
    EXPECT_EQ(waiting.attempts, 1);
    EXPECT_EQ(waiting.next_attempt_at, kNow + minutes{1});
    EXPECT_NE(waiting.last_error.find("connecting to 127.0.0.1:" + std::to_string(port)), std::string::npos)
        << waiting.last_error;

    clock_.Advance(seconds{30});
    EXPECT_EQ(DeliverDue(Settings(port)), 0);  // backing off

    SmtpTestServer server(mail_.path(), ServerOptions(false, port));
    clock_.Advance(seconds{30});
    EXPECT_EQ(DeliverDue(Settings(port)), 1);
    EXPECT_EQ(server.WaitFor(1).size(), 1U);
    const app::OutboxMessage sent = Stored("reminder:7:1:24h");
    EXPECT_EQ(sent.status, app::OutboxStatus::kSent);
    EXPECT_EQ(sent.attempts, 2);
    EXPECT_EQ(sent.last_error, "");
}

TEST_F(OutboxSenderTest, ALineBreakInTheSubjectIsNeverSent) {
    SmtpTestServer server(mail_.path(), {});
    app::OutboxMessage message;
    message.idempotency_key = "injected";
    message.recipient = "ada@home.example";
    message.subject = "Reminder\r\nBcc: eve@example.org";
    message.due_at = kNow;
    message.created_at = kNow;
    ASSERT_TRUE(
        store_->Write([&](app::StoreTransaction& tx) { return StatusOf(tx.InsertOutboxMessage(message)); }).ok());
    EXPECT_EQ(DeliverDue(Settings(server.port())), 1);
    const app::OutboxMessage failed = Stored("injected");
    EXPECT_EQ(failed.status, app::OutboxStatus::kFailed);
    EXPECT_NE(failed.last_error.find("line break"), std::string::npos) << failed.last_error;
    EXPECT_TRUE(server.Received().empty());
}

TEST_F(OutboxSenderTest, AMessageClaimedTooLateIsFailedUnsent) {
    SmtpTestServer server(mail_.path(), {});
    Insert("reminder:7:1:2h", kNow - kMaxLateness - minutes{1});
    EXPECT_EQ(DeliverDue(Settings(server.port())), 1);
    const app::OutboxMessage failed = Stored("reminder:7:1:2h");
    EXPECT_EQ(failed.status, app::OutboxStatus::kFailed);
    EXPECT_NE(failed.last_error.find("not sent"), std::string::npos) << failed.last_error;
    EXPECT_TRUE(server.Received().empty());
}

TEST_F(OutboxSenderTest, StartTlsVerifiesTheServersCertificate) {
    SmtpTestServer server(mail_.path(), ServerOptions(false, 0, true));
    SmtpSettings settings = Settings(server.port());
    settings.host = "localhost";
    settings.tls = SmtpTls::kRequireStartTls;

    Insert("untrusted");  // the self-signed certificate is in no trusted store
    EXPECT_EQ(DeliverDue(settings), 1);
    const app::OutboxMessage refused = Stored("untrusted");
    EXPECT_EQ(refused.status, app::OutboxStatus::kPending);
    EXPECT_NE(refused.last_error.find("TLS handshake"), std::string::npos) << refused.last_error;
    EXPECT_TRUE(server.Received().empty());

    Insert("trusted");
    settings.ca_file = server.certificate_file();
    EXPECT_EQ(DeliverDue(settings), 1);
    EXPECT_EQ(Stored("trusted").status, app::OutboxStatus::kSent) << Stored("trusted").last_error;
    const std::vector<testing::ReceivedMessage> received = server.WaitFor(1);
    ASSERT_EQ(received.size(), 1U);
    EXPECT_TRUE(received[0].tls);
}

TEST_F(OutboxSenderTest, AuthenticatesOnlyOverTls) {
    SmtpTestServer server(mail_.path(), ServerOptions(false, 0, true, "clinic:s3cret"));
    SmtpSettings settings = Settings(server.port());
    settings.host = "localhost";
    settings.ca_file = server.certificate_file();
    settings.username = "clinic";
    settings.password = "s3cret";

    Insert("in-the-clear");
    SmtpSettings clear = settings;
    clear.tls = SmtpTls::kOff;
    EXPECT_EQ(DeliverDue(clear), 1);
    const app::OutboxMessage held = Stored("in-the-clear");
    EXPECT_EQ(held.status, app::OutboxStatus::kPending);
    EXPECT_NE(held.last_error.find("without TLS"), std::string::npos) << held.last_error;

    Insert("over-tls");
    EXPECT_EQ(DeliverDue(settings), 1);
    EXPECT_EQ(Stored("over-tls").status, app::OutboxStatus::kSent) << Stored("over-tls").last_error;
    const std::vector<testing::ReceivedMessage> received = server.WaitFor(1);
    ASSERT_EQ(received.size(), 1U);
    EXPECT_EQ(received[0].auth_login, "clinic");
}

TEST_F(OutboxSenderTest, TheLoopDeliversOnItsOwnAndStopsWhenDestroyed) {
    SmtpTestServer server(mail_.path(), {});
    Insert("reminder:7:1:24h");
    const auto started = std::chrono::steady_clock::now();
    {
        const OutboxSender sender(*store_, clock_, SmtpClient(Settings(server.port())),
                                  OutboxSenderOptions{std::chrono::milliseconds{100}, 20}, log_);
        EXPECT_EQ(server.WaitFor(1).size(), 1U);
    }
    EXPECT_LT(std::chrono::steady_clock::now() - started, seconds{20});
    EXPECT_EQ(Stored("reminder:7:1:24h").status, app::OutboxStatus::kSent);
}

}  // namespace
}  // namespace kclinic::adapters::mail
