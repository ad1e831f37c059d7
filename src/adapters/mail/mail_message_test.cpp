#include "adapters/mail/mail_message.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace kclinic::adapters::mail {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

const app::TimePoint kSentAt = std::chrono::sys_days{std::chrono::year{2026} / 9 / 22} + hours{9} + minutes{30};

TEST(MailMessage, Base64FollowsRfc4648) {
    // RFC 4648 §10 test vectors.
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [text, encoded] : cases) {
        EXPECT_EQ(Base64(text), encoded) << text;
    }
    EXPECT_EQ(Base64(std::string("\0user\0pass", 10)), "AHVzZXIAcGFzcw==");
}

TEST(MailMessage, DatesInRfc5322Form) {
    EXPECT_EQ(MailDate(kSentAt), "Tue, 22 Sep 2026 09:30:00 +0000");
    EXPECT_EQ(MailDate(std::chrono::sys_days{std::chrono::year{2027} / 1 / 3}), "Sun, 03 Jan 2027 00:00:00 +0000");
}

TEST(MailMessage, MessageIdIsTheKeyAtTheSendersDomain) {
    EXPECT_EQ(MessageIdOf("reminder:41:2:24h", "reminders@clinic.example"), "<reminder-41-2-24h@clinic.example>");
    EXPECT_EQ(MessageIdOf("a b<c>", "Lakeside Clinic <x@lakeside.example>"), "<a-b-c-@lakeside.example>");
    EXPECT_EQ(EnvelopeAddress("Lakeside Clinic <x@lakeside.example>"), "x@lakeside.example");
    EXPECT_EQ(EnvelopeAddress("x@lakeside.example"), "x@lakeside.example");
}

TEST(MailMessage, QuotedPrintableEscapesAndWraps) {
    struct Case {
        std::string text;
        std::string encoded;
    };
    const std::vector<Case> cases = {
        {"plain text\n", "plain text\r\n"},
        {"a=b\n", "a=3Db\r\n"},
        {"trailing space \nnext", "trailing space=20\r\nnext"},
        {"caf\xc3\xa9\n", "caf=C3=A9\r\n"},
        {"crlf\r\nkept", "crlf\r\nkept"},
        {std::string(80, 'x'), std::string(75, 'x') + "=\r\n" + std::string(5, 'x')},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(QuotedPrintable(c.text), c.encoded) << c.text;
    }
}

TEST(MailMessage, DotStuffingDoublesALeadingDotAndEndsTheData) {
    EXPECT_EQ(DotStuffed("a\r\n.b\r\n..c\r\n"), "a\r\n..b\r\n...c\r\n.\r\n");
    EXPECT_EQ(DotStuffed(".\r\nx"), "..\r\nx\r\n.\r\n");
}

TEST(MailMessage, TheMessageCarriesEveryHeaderAndFoldsAnEncodedSubject) {
    app::OutboxMessage message;
    message.idempotency_key = "reminder:41:1:2h";
    message.recipient = "ada@home.example";
    message.subject = "Rappel : votre rendez-vous du mardi 22 septembre \xc3\xa0 09:30, \xc3\xa0 la clinique";
    message.body = "Bonjour,\n\n.Line with a dot\n";
    const std::string text = FormatMessage(message, "Lakeside Clinic <reminders@lakeside.example>", kSentAt);
    const std::size_t header_end = text.find("\r\n\r\n");
    ASSERT_NE(header_end, std::string::npos);
    const std::string headers = text.substr(0, header_end + 2);
    for (const std::string_view expected : {
             "Date: Tue, 22 Sep 2026 09:30:00 +0000\r\n", "From: Lakeside Clinic <reminders@lakeside.example>\r\n",
             "To: ada@home.example\r\n", "Message-ID: <reminder-41-1-2h@lakeside.example>\r\n", "MIME-Version: 1.0\r\n",
             "Content-Type: text/plain; charset=utf-8\r\n", "Content-Transfer-Encoding: quoted-printable\r\n",
             "Subject: =?UTF-8?B?",
             "\r\n =?UTF-8?B?",  // folded onto a second line
         }) {
        EXPECT_NE(headers.find(expected), std::string::npos) << expected << " in\n" << headers;
    }
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find("\r\n", start);
        ASSERT_NE(end, std::string::npos) << "every line ends in CRLF";
        EXPECT_LE(end - start, 78U) << text.substr(start, end - start);
        start = end + 2;
    }
    EXPECT_EQ(text.substr(header_end + 4), "Bonjour,\r\n\r\n.Line with a dot\r\n");
}

}  // namespace
}  // namespace kclinic::adapters::mail
