#include "adapters/hl7/mllp/frame.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kclinic::adapters::hl7::mllp {
namespace {

const std::string kVt(1, kStartBlock);
const std::string kEnd = std::string(1, kEndBlock) + std::string(1, kCarriageReturn);

struct Expected {
    FrameEventKind kind;
    std::string payload;
    std::size_t byte_count;
};

struct FrameCase {
    std::string name;
    std::string input;
    std::size_t max_bytes;
    std::vector<Expected> expected;  // after Feed of everything, then Finish
};

std::vector<FrameEvent> Decode(const std::vector<std::string_view>& chunks, std::size_t max_bytes) {
    FrameDecoder decoder(max_bytes);
    std::vector<FrameEvent> events;
    for (const std::string_view chunk : chunks) {
        decoder.Feed(chunk, events);
    }
    decoder.Finish(events);
    return events;
}

void ExpectEvents(const std::vector<FrameEvent>& events, const std::vector<Expected>& expected,
                  const std::string& what) {
    ASSERT_EQ(events.size(), expected.size()) << what;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(FrameEventKindName(events[i].kind), FrameEventKindName(expected[i].kind)) << what << " event " << i;
        EXPECT_EQ(events[i].payload, expected[i].payload) << what << " event " << i;
        EXPECT_EQ(events[i].byte_count, expected[i].byte_count) << what << " event " << i;
    }
}

const std::string kMessageA = "MSH|^~\\&|A|||||ORU^R01|1|P|2.6\rOBX|1\r";
const std::string kMessageB = "MSH|^~\\&|B|||||ORU^R01|2|P|2.6\r";

std::vector<FrameCase> Cases() {
    const std::string big(40, 'x');
    return {
        {"one frame", kVt + kMessageA + kEnd, 1024, {{FrameEventKind::kMessage, kMessageA, kMessageA.size()}}},
        {"two frames back to back",
         kVt + kMessageA + kEnd + kVt + kMessageB + kEnd,
         1024,
         {{FrameEventKind::kMessage, kMessageA, kMessageA.size()},
          {FrameEventKind::kMessage, kMessageB, kMessageB.size()}}},
        {"CR LF between frames is tolerated",
         kVt + kMessageA + kEnd + "\n\r\n" + kVt + kMessageB + kEnd,
         1024,
         {{FrameEventKind::kMessage, kMessageA, kMessageA.size()},
          {FrameEventKind::kMessage, kMessageB, kMessageB.size()}}},
        {"an empty frame", kVt + kEnd, 1024, {{FrameEventKind::kMessage, "", 0}}},
        {"garbage before a frame",
         "GET / HTTP/1.1\r\n" + kVt + kMessageA + kEnd,
         1024,
         {{FrameEventKind::kGarbage, "", 14}, {FrameEventKind::kMessage, kMessageA, kMessageA.size()}}},
        {"garbage at the end",
         kVt + kMessageA + kEnd + "\x01\x02\x03",
         1024,
         {{FrameEventKind::kMessage, kMessageA, kMessageA.size()}, {FrameEventKind::kGarbage, "", 3}}},
        {"only garbage, reported at the limit",
         std::string(25, '\xff'),
         10,
         {{FrameEventKind::kGarbage, "", 10}, {FrameEventKind::kGarbage, "", 10}, {FrameEventKind::kGarbage, "", 5}}},
        {"a frame cut by the end of the connection",
         kVt + kMessageA,
         1024,
         {{FrameEventKind::kTruncated, kMessageA, kMessageA.size()}}},
        {"a frame cut after its end block",
         kVt + kMessageA + std::string(1, kEndBlock),
         1024,
         {{FrameEventKind::kTruncated, kMessageA, kMessageA.size()}}},
        {"a frame cut by a new start block",
         kVt + "MSH|partial" + kVt + kMessageB + kEnd,
         1024,
         {{FrameEventKind::kTruncated, "MSH|partial", 11}, {FrameEventKind::kMessage, kMessageB, kMessageB.size()}}},
        {"an end block without CR",
         kVt + kMessageA + std::string(1, kEndBlock) + kVt + kMessageB + kEnd,
         1024,
         {{FrameEventKind::kBadTrailer, kMessageA, kMessageA.size()},
          {FrameEventKind::kMessage, kMessageB, kMessageB.size()}}},
        {"exactly the limit",
         kVt + std::string(10, 'm') + kEnd,
         10,
         {{FrameEventKind::kMessage, std::string(10, 'm'), 10}}},
        {"one byte over the limit, then a good frame",
         kVt + std::string(11, 'm') + kEnd + kVt + "ok" + kEnd,
         10,
         {{FrameEventKind::kTooLarge, std::string(11, 'm'), 11}, {FrameEventKind::kMessage, "ok", 2}}},
        // The kept prefix is FrameDecoder::kKeptPrefixBytes (1024): all of a small frame.
        {"too large with an end block inside",
         kVt + big + std::string(1, kEndBlock) + "y" + kEnd,
         10,
         {{FrameEventKind::kTooLarge, big + std::string(1, kEndBlock) + "y", 42}}},
        {"too large, cut by a new start block",
         kVt + big + kVt + "ok" + kEnd,
         10,
         {{FrameEventKind::kTooLarge, big, 40}, {FrameEventKind::kMessage, "ok", 2}}},
        {"too large, cut by the end of the connection", kVt + big, 10, {{FrameEventKind::kTooLarge, big, 40}}},
        {"binary garbage", std::string("\x00\x1c\x0d\xfe", 4), 1024, {{FrameEventKind::kGarbage, "", 3}}},
    };
}

// Every case gives the same events fed whole, one byte at a time, and cut in two at every position.
TEST(FrameDecoderTest, DecodesTheSameWhateverTheChunks) {
    for (const FrameCase& c : Cases()) {
        ExpectEvents(Decode({c.input}, c.max_bytes), c.expected, c.name + " (whole)");
        std::vector<std::string_view> bytes;
        for (std::size_t i = 0; i < c.input.size(); ++i) {
            bytes.push_back(std::string_view(c.input).substr(i, 1));
        }
        ExpectEvents(Decode(bytes, c.max_bytes), c.expected, c.name + " (byte by byte)");
        for (std::size_t cut = 1; cut < c.input.size(); ++cut) {
            const std::string_view input(c.input);
            ExpectEvents(Decode({input.substr(0, cut), input.substr(cut)}, c.max_bytes), c.expected,
                         c.name + " (cut at " + std::to_string(cut) + ")");
        }
    }
}

TEST(FrameDecoderTest, KeepsTheFirstBytesOfAnOversizedFrame) {
    const std::string huge = "MSH|^~\\&|BIG|||||ORU^R01|HUGE-1|P|2.6\r" + std::string(5000, 'z');
    for (const std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{4096}, huge.size() + 3}) {
        const std::string input = EncodeFrame(huge);
        FrameDecoder decoder(2048);
        std::vector<FrameEvent> events;
        for (std::size_t at = 0; at < input.size(); at += chunk) {
            decoder.Feed(std::string_view(input).substr(at, chunk), events);
        }
        ASSERT_EQ(events.size(), 1U) << chunk;
        EXPECT_EQ(events[0].kind, FrameEventKind::kTooLarge) << chunk;
        EXPECT_EQ(events[0].payload, huge.substr(0, FrameDecoder::kKeptPrefixBytes)) << chunk;
        EXPECT_EQ(events[0].byte_count, huge.size()) << chunk;
        EXPECT_FALSE(decoder.InFrame());
    }
}

TEST(FrameDecoderTest, SaysWhenAFrameIsInProgress) {
    FrameDecoder decoder;
    std::vector<FrameEvent> events;
    EXPECT_FALSE(decoder.InFrame());
    decoder.Feed(kVt + "MSH", events);
    EXPECT_TRUE(decoder.InFrame());
    decoder.Feed("|" + kEnd, events);
    EXPECT_FALSE(decoder.InFrame());
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].payload, "MSH|");
}

TEST(FrameEncoderTest, FramesAMessage) {
    EXPECT_EQ(EncodeFrame("MSH|x\r"), "\x0bMSH|x\r\x1c\x0d");
    std::vector<FrameEvent> events;
    FrameDecoder decoder;
    decoder.Feed(EncodeFrame(kMessageA), events);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].payload, kMessageA);
}

}  // namespace
}  // namespace kclinic::adapters::hl7::mllp
