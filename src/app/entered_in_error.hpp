#pragma once

// The one way a record is marked entered in error (PatientRecords, DoseRecords, HistoryRecords), and the patient's
// own record found by id. Internal to app/.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/audit.hpp"
#include "app/ports/store.hpp"
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

// The kind of record a mark is for, as its errors and its audit entry name it.
struct MarkedRecordKind {
    std::string_view id_field;     // "assessment_id"
    std::string_view what;         // "assessment"
    std::string_view record_type;  // the audit entry's record type
    std::string_view action;       // the audit action, "assessment.entered_in_error"
};

// The use case: `actor` marks the record `id` of `patient`, read by `find(tx)`, entered in error for `reason` at
// `now` through `store_mark`, audited in the same transaction, and gets it back marked. Errors: NewEnteredInError's;
// kNotFound for the patient; find's (kNotFound naming kind.id_field for a record the patient does not have);
// store_mark's (kFailedPrecondition "entered_in_error" when already marked).
template <typename Record, typename RecordId, typename Find, typename Part>
Result<Record> MarkFoundEnteredInError(Store& store, const Actor& actor, TimePoint now, PatientId patient, RecordId id,
                                       std::string_view reason, const MarkedRecordKind& kind, Find find,
                                       Status (Part::*store_mark)(RecordId, const EnteredInError&)) {
    ASSIGN_OR_RETURN(const EnteredInError mark, NewEnteredInError(actor, reason, now));
    return store.Write([&](StoreTransaction& tx) -> Result<Record> {
        RETURN_IF_ERROR(tx.GetPatient(patient));
        ASSIGN_OR_RETURN(Record marked, find(tx));
        RETURN_IF_ERROR((tx.*store_mark)(id, mark));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, kind.action, kind.record_type, id.value, patient.value));
        marked.entered_in_error = mark;
        return marked;
    });
}

// MarkFoundEnteredInError for a record found among `list(patient)`.
template <typename Record, typename RecordId, typename Part>
Result<Record> MarkEnteredInError(Store& store, const Actor& actor, TimePoint now, PatientId patient, RecordId id,
                                  std::string_view reason, const MarkedRecordKind& kind,
                                  Result<std::vector<Record>> (Part::*list)(PatientId),
                                  Status (Part::*store_mark)(RecordId, const EnteredInError&)) {
    const auto find = [&](StoreTransaction& tx) -> Result<Record> {
        ASSIGN_OR_RETURN(std::vector<Record> records, (tx.*list)(patient));
        return PatientsRecord(std::move(records), id, kind.id_field, kind.what, patient);
    };
    return MarkFoundEnteredInError<Record>(store, actor, now, patient, id, reason, kind, find, store_mark);
}

// MarkFoundEnteredInError for a record read by its id with `get`, one row however long the patient's record.
template <typename Record, typename RecordId, typename Part>
Result<Record> MarkEnteredInError(Store& store, const Actor& actor, TimePoint now, PatientId patient, RecordId id,
                                  std::string_view reason, const MarkedRecordKind& kind,
                                  Result<Record> (Part::*get)(RecordId),
                                  Status (Part::*store_mark)(RecordId, const EnteredInError&)) {
    const auto find = [&](StoreTransaction& tx) -> Result<Record> {
        Result<Record> record = (tx.*get)(id);
        if (record.ok() && record->patient == patient) {
            return record;
        }
        if (!record.ok() && record.error().code != ErrorCode::kNotFound) {
            return record;
        }
        return PatientsRecord(std::vector<Record>{}, id, kind.id_field, kind.what, patient);
    };
    return MarkFoundEnteredInError<Record>(store, actor, now, patient, id, reason, kind, find, store_mark);
}

}  // namespace kclinic::app
