#include "adapters/hl7/message/batch.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace kclinic::adapters::hl7 {
namespace {

const std::string kA = "MSH|^~\\&|M||||202612071400||ORU^R01|A|P|2.6\rOBX|1|NM|8867-4^HR^LN||70|/min|||||F\r";
const std::string kB = "MSH|^~\\&|M||||202612071401||ORU^R01|B|P|2.6\rOBX|1|NM|8867-4^HR^LN||71|/min|||||F\r";

TEST(BatchTest, SplitsABatchIntoItsMessages) {
    for (const std::string& text :
         {"BHS|^~\\&|M||||202612071400||||BATCH-1\r" + kA + kB + "BTS|2\r",
          "FHS|^~\\&|M\rBHS|^~\\&|M||||||||BATCH-1\r" + kA + "BTS|1\rBHS|^~\\&\r" + kB + "BTS\rFTS|2\r",
          "\nBHS|^~\\&|||||||||BATCH-1\n" + kA + kB + "BTS|2\n"}) {
        auto batch = SplitBatch(text);
        ASSERT_TRUE(batch.ok()) << batch.error().message;
        EXPECT_EQ(batch->control_id, "BATCH-1");
        ASSERT_EQ(batch->messages.size(), 2U);
        EXPECT_EQ(batch->messages[0].substr(0, 40), kA.substr(0, 40));
        EXPECT_EQ(batch->messages[1].substr(0, 40), kB.substr(0, 40));
        EXPECT_TRUE(batch->messages[0].find("BTS") == std::string_view::npos);
    }
    EXPECT_TRUE(IsBatch("\r\nFHS|^~\\&"));
    EXPECT_FALSE(IsBatch(kA));
}

TEST(BatchTest, RefusesABatchThatDoesNotAddUp) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {kA, "the batch does not start with FHS or BHS"},
        {"BHS|^^\\&\r" + kA + "BTS|1\r",
         "BHS-2 (the encoding characters) must be four distinct characters such as ^~\\&, none a letter, digit or "
         "the field separator; got \"^^\\&\""},
        {"BHS|^~\\&\r" + kA + kB + "BTS|3\r", "BTS-1 says the batch holds 3 messages, but it holds 2"},
        {"BHS|^~\\&\r" + kA + kB, "the batch has no BTS segment: it is incomplete"},
        {"FHS|^~\\&\rBHS|^~\\&\r" + kA + "BTS|1\rFTS|2\r", "FTS-1 says the file holds 2 batches, but it holds 1"},
        {"BHS|^~\\&\rPID|1\r" + kA + "BTS|1\r",
         "segment 2 (PID) is out of place in the batch: outside any message, or a batch segment where none may be"},
        {"BHS|^~\\&\r" + kA + "BHS|^~\\&\r" + kB + "BTS|2\r",
         "segment 4 (BHS) is out of place in the batch: outside any message, or a batch segment where none may be"},
        {"FHS|^~\\&\rBHS|^~\\&\r" + kA + "BTS|1\rFTS|1\r" + kB, "a MSH segment follows FTS, which ends the file"},
    };
    for (const auto& [text, message] : cases) {
        auto batch = SplitBatch(text);
        ASSERT_FALSE(batch.ok()) << message;
        EXPECT_EQ(batch.error().ack, AckCode::kReject) << message;
        EXPECT_EQ(batch.error().message, message);
    }
}

TEST(BatchTest, ReadsTheBatchControlIdOfARefusedBatch) {
    EXPECT_EQ(BatchControlId("BHS|^~\\&|M||||202612071400||||B\\F\\7\r" + kA), "B|7");
    EXPECT_EQ(BatchControlId("FHS|^~\\&\rBHS|^~\\&|||||||||B-8|X\r" + kA + "BTS|9\r"), "B-8");
    EXPECT_EQ(BatchControlId(kA), "");
    EXPECT_EQ(BatchControlId("BHS|^"), "");
    EXPECT_EQ(BatchControlId("BHS|^\r~\\&|||||||||B-9\r"), "");
}

TEST(BatchTest, WrapsAcknowledgementsInABatch) {
    using namespace std::chrono_literals;
    const clinical::TimePoint now = clinical::TimePoint{std::chrono::sys_days{std::chrono::year{2026} / 12 / 7}} + 14h;
    const std::vector<std::string> acks = {"MSH|^~\\&|K\rMSA|AA|A\r", "MSH|^~\\&|K\rMSA|AA|B\r"};
    EXPECT_EQ(WrapBatch(acks, Delimiters{}, now, "BATCH-1"),
              "BHS|^~\\&|||||20261207140000+0000|||||BATCH-1\rMSH|^~\\&|K\rMSA|AA|A\rMSH|^~\\&|K\rMSA|AA|B\rBTS|2\r");
}

}  // namespace
}  // namespace kclinic::adapters::hl7
