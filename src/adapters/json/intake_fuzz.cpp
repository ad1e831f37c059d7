// libFuzzer target for the intake reader (issue 15 §3): `kclinic screen FILE|-` reads an intake from outside bytes,
// through Parse, IntakeFromJson and the clinical core's Screen. Under ASan/UBSan any memory error or undefined
// behaviour is a finding; so is an exception escaping (the CLI would exit 1, not 2), and so is an intake that does
// not survive IntakeToJson and IntakeFromJson unchanged.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "adapters/json/clinical_json.hpp"
#include "clinical/eligibility.hpp"
#include "clinical/settings.hpp"

using namespace kclinic;
using namespace kclinic::adapters::json;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const Result<Json> document = Parse(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!document.ok()) {
        return 0;
    }
    const Result<clinical::Intake> intake = IntakeFromJson(*document);
    if (!intake.ok()) {
        return 0;
    }
    const Json written = IntakeToJson(*intake);
    const Result<clinical::Intake> reread = IntakeFromJson(written);
    if (!reread.ok() || IntakeToJson(*reread) != written) {
        std::abort();
    }
    const Result<clinical::Screening> screening = clinical::Screen(*intake, clinical::ClinicSettings{});
    if (screening.ok()) {
        (void)ToJson(*screening);
    }
    return 0;
}
