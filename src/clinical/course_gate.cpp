#include "clinical/course_gate.hpp"

#include <cctype>
#include <string>

#include "base/text.hpp"

namespace kclinic::clinical {
namespace {

// Lower case, words separated by one space, no blanks around: the form SameIndication compares.
std::string NormalIndication(std::string_view text) {
    std::string normal;
    bool blank = false;
    for (const char c : text) {
        if (c == ' ' || c == '\t') {
            blank = true;
            continue;
        }
        if (blank && !normal.empty()) {
            normal.push_back(' ');
        }
        blank = false;
        normal.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    return normal;
}

}  // namespace

Product ProductOfRoute(Route route) {
    switch (route) {
        case Route::kIv:
            return Product::kKetamineIv;
        case Route::kEsketamineNasal:
            return Product::kEsketamineNasal;
        case Route::kIm:
            return Product::kKetamineIm;
        case Route::kOral:
            return Product::kKetamineOral;
        case Route::kSublingual:
            return Product::kKetamineSublingual;
    }
    return Product::kKetamineIv;
}

Result<std::int64_t> CheckScreeningAllowsCourse(Product product, const std::optional<ScreeningForCourse>& latest,
                                                std::string_view override_reason) {
    const std::string product_name(ProductName(product));
    if (!latest) {
        return Error{ErrorCode::kFailedPrecondition, "screening",
                     "the patient has no eligibility screening for " + product_name +
                         ": screen the patient and have a prescriber sign it before starting a course"};
    }
    const std::string which = "screening " + std::to_string(latest->id) + " (the latest for " + product_name + ")";
    if (!latest->signed_off) {
        return Error{ErrorCode::kFailedPrecondition, "screening",
                     which + " is not signed: a prescriber signs a screening before a course starts on it"};
    }
    const bool overriding = !IsBlank(override_reason);
    switch (latest->decision) {
        case Decision::kEligible:
        case Decision::kEligibleWithCautions:
            if (overriding) {
                return InvalidArgument("screening_override_reason", which + " decided " +
                                                                        std::string(DecisionName(latest->decision)) +
                                                                        ": there is nothing to override");
            }
            return latest->id;
        case Decision::kNeedsReview:
            if (!overriding) {
                return Error{ErrorCode::kFailedPrecondition, "screening",
                             which +
                                 " needs review: a course starts on it only with a prescriber's "
                                 "screening_override_reason"};
            }
            return latest->id;
        case Decision::kNotEligible:
            break;
    }
    return Error{ErrorCode::kFailedPrecondition, "screening",
                 which + " decided not_eligible: a contraindication is not overridden at course start"};
}

bool SameIndication(std::string_view a, std::string_view b) {
    return NormalIndication(a) == NormalIndication(b);
}

}  // namespace kclinic::clinical
