#pragma once

// The steps every "mark entered in error" use case shares (PatientRecords, DoseRecords, HistoryRecords): the mark
// from the reason given, and the patient's own record to mark. Internal to app/.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/records.hpp"
#include "app/treatment_text.hpp"
#include "base/result.hpp"
#include "base/text.hpp"

namespace kclinic::app {

// The mark `actor` sets at `now` for `reason`. kInvalidArgument "reason" when it is blank or breaks
// treatment_text::kReasonRule.
inline Result<EnteredInError> NewEnteredInError(const Actor& actor, std::string_view reason, TimePoint now) {
    RETURN_IF_ERROR(CheckText("reason", reason, treatment_text::kReasonRule));
    return EnteredInError{std::string(reason), now, actor.user};
}

// The record of `records` (one patient's) with id `id`. kNotFound naming `id_field` when there is none, so a record
// of another patient is not found either.
template <typename Record, typename RecordId>
Result<Record> PatientsRecord(std::vector<Record> records, RecordId id, std::string_view id_field,
                              std::string_view what, PatientId patient) {
    const auto found = std::find_if(records.begin(), records.end(), [id](const Record& r) { return r.id == id; });
    if (found == records.end()) {
        return Error{ErrorCode::kNotFound, std::string(id_field),
                     "patient " + std::to_string(patient.value) + " has no " + std::string(what) + " with id " +
                         std::to_string(id.value)};
    }
    return std::move(*found);
}

}  // namespace kclinic::app
