// libFuzzer target for the strict JSON body reader (issue 15 §3): every API request body and the CLI's intake pass
// through Parse and an ObjectReader, so whatever bytes a client sends reach this code first. Under ASan/UBSan any
// out-of-bounds read, overflow or undefined behaviour is a finding; so is an exception escaping (a 500 for the
// client), and so is a document Parse accepts that does not print and parse back to itself.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "adapters/json/clinical_json.hpp"
#include "adapters/json/object_reader.hpp"
#include "base/text.hpp"

using namespace kclinic;
using namespace kclinic::adapters::json;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    // Fields of every kind, under the one-letter names the seeds use (testdata/fuzz/json).
    ObjectReader body(input);
    (void)body.OptionalString("s");
    (void)body.OptionalInt("i");
    (void)body.OptionalInteger("n");
    (void)body.OptionalNumber("x");
    (void)body.OptionalBoolean("b");
    (void)body.OptionalDate("d");
    (void)body.OptionalTime("t");
    (void)body.OptionalStringArray("a");
    if (ObjectReader* nested = body.OptionalObject("o")) {
        (void)nested->IntArray("a");
        (void)nested->Int("i");
    }
    for (ObjectReader* item : body.OptionalObjectArray("l")) {
        (void)item->String("s");
        (void)item->Time("t");
    }
    (void)body.Raw("r");
    const Status finished = body.Finish();
    if (!finished.ok() && finished.error().field.empty()) {
        std::abort();  // every refusal names what it refuses: the body or a field
    }

    const Result<Json> parsed = Parse(input);
    if (parsed.ok()) {
        const Result<Json> again = Parse(parsed->dump());
        if (!again.ok() || *again != *parsed) {
            std::abort();
        }
    }
    (void)ParseRfc3339(input);
    (void)ParseDate(input);
    return 0;
}
