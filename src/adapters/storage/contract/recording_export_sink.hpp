#pragma once

// A record export's sink for the contract tests: keeps whatever the export hands over, in memory, so a case can
// check what was exported; fails on one patient when asked, to test an export stopped part-way.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "app/record_export.hpp"
#include "base/error_code.hpp"

namespace kclinic::adapters::storage::contract {

class RecordingExportSink final : public app::RecordExportSink {
public:
    // Fails with kUnavailable "disk full" on the patient numbered `fail_at_patient` (1-based); never when 0.
    explicit RecordingExportSink(int fail_at_patient = 0) : fail_at_patient_(fail_at_patient) {}

    Status Settings(const std::vector<std::pair<std::string, std::string>>& overrides) override {
        settings = overrides;
        return Status::Ok();
    }
    Status StandingOrderSets(const std::vector<app::StandingOrderSet>& sets) override {
        standing_order_sets = sets;
        return Status::Ok();
    }
    Status Users(const std::vector<app::User>& exported) override {
        users = exported;
        return Status::Ok();
    }
    Status CountDiscrepancies(const std::vector<app::CsDiscrepancy>& exported) override {
        count_discrepancies = exported;
        return Status::Ok();
    }
    Status Schedule(const std::vector<app::TreatmentRoom>& exported_rooms,
                    const std::vector<app::ClosedDay>& exported_days) override {
        rooms = exported_rooms;
        closed_days = exported_days;
        return Status::Ok();
    }
    Status Devices(const std::vector<app::Device>& exported) override {
        devices = exported;
        return Status::Ok();
    }
    Status ControlledSubstances(const std::vector<app::CsContainer>& containers,
                                const std::vector<app::CsEntry>& entries) override {
        cs_containers = containers;
        cs_entries = entries;
        return Status::Ok();
    }
    Status Patient(const app::PatientRecordExport& record) override {
        if (static_cast<int>(patients.size()) + 1 == fail_at_patient_) {
            return Error{ErrorCode::kUnavailable, "out", "disk full"};
        }
        patients.push_back(record);
        return Status::Ok();
    }
    Status DeviceLog(const app::DeviceReading& reading) override {
        device_readings.push_back(reading);
        return Status::Ok();
    }
    Status Audit(const app::AuditEntry& entry) override {
        audit.push_back(entry);
        return Status::Ok();
    }

    std::vector<std::pair<std::string, std::string>> settings;
    std::vector<app::StandingOrderSet> standing_order_sets;
    std::vector<app::User> users;
    std::vector<app::CsDiscrepancy> count_discrepancies;
    std::vector<app::TreatmentRoom> rooms;
    std::vector<app::ClosedDay> closed_days;
    std::vector<app::Device> devices;
    std::vector<app::CsContainer> cs_containers;
    std::vector<app::CsEntry> cs_entries;
    std::vector<app::PatientRecordExport> patients;
    std::vector<app::DeviceReading> device_readings;
    std::vector<app::AuditEntry> audit;

private:
    int fail_at_patient_;
};

}  // namespace kclinic::adapters::storage::contract
