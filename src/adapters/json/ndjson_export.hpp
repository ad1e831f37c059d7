#pragma once

// `kclinic export --format ndjson`: the clinic record as newline-delimited JSON, one object per line:
// {"type": "vital_sign", "record": {...}} with the record as record_json.hpp writes it. The first line describes the
// export (format version, backend, time); then come the clinic settings, the users (no secret), each patient followed
// by their records, and the audit log. docs/operations.md documents the format.

#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/record_export.hpp"

namespace kclinic::adapters::json {

inline constexpr int kNdjsonExportFormatVersion = 1;

class NdjsonExportSink final : public app::RecordExportSink {
public:
    // Writes the header line at once. `out` must outlive this object.
    NdjsonExportSink(std::ostream& out, std::string_view backend, app::TimePoint exported_at);

    Status Settings(const std::vector<std::pair<std::string, std::string>>& overrides) override;
    Status StandingOrderSets(const std::vector<app::StandingOrderSet>& sets) override;
    Status Users(const std::vector<app::User>& users) override;
    Status CountDiscrepancies(const std::vector<app::CsDiscrepancy>& discrepancies) override;
    Status Patient(const app::PatientRecordExport& record) override;
    Status Audit(const app::AuditEntry& entry) override;

private:
    std::ostream& out_;
};

}  // namespace kclinic::adapters::json
