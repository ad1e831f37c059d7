#pragma once

// `kclinic export --format ndjson`: the clinic record as newline-delimited JSON, one object per line:
// {"type": "vital_sign", "record": {...}} with the record as record_json.hpp writes it. The first line describes the
// export (format version, backend, time); then come the clinic settings, the users (no secret), the clinic-wide
// records, each patient followed by their records, the device log and the audit log. docs/operations.md documents the format.

#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/record_export.hpp"

namespace kclinic::adapters::json {

// 2 added the rooms and closed days, the devices and their log, the controlled-substance log, and each patient's
// appointments, missed inductions and questionnaire assignments.
inline constexpr int kNdjsonExportFormatVersion = 2;

class NdjsonExportSink final : public app::RecordExportSink {
public:
    // Writes the header line at once. `out` must outlive this object.
    NdjsonExportSink(std::ostream& out, std::string_view backend, app::TimePoint exported_at);

    Status Settings(const std::vector<std::pair<std::string, std::string>>& overrides) override;
    Status StandingOrderSets(const std::vector<app::StandingOrderSet>& sets) override;
    Status Users(const std::vector<app::User>& users) override;
    Status CountDiscrepancies(const std::vector<app::CsDiscrepancy>& discrepancies) override;
    Status Schedule(const std::vector<app::TreatmentRoom>& rooms,
                    const std::vector<app::ClosedDay>& closed_days) override;
    Status Devices(const std::vector<app::Device>& devices) override;
    Status ControlledSubstances(const std::vector<app::CsContainer>& containers,
                                const std::vector<app::CsEntry>& entries) override;
    Status Patient(const app::PatientRecordExport& record) override;
    Status DeviceLog(const app::DeviceReading& reading) override;
    Status Audit(const app::AuditEntry& entry) override;

private:
    std::ostream& out_;
};

}  // namespace kclinic::adapters::json
