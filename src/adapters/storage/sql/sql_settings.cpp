// The clinic settings overrides over SqlConnection (clinic_settings, migrations/0001_clinic_record.sql): one row per
// overridden name; defaults live in clinical::ClinicSettings and are never stored.

#include <string>
#include <utility>
#include <vector>

#include "adapters/storage/sql/row_reader.hpp"
#include "adapters/storage/sql/sql_transaction.hpp"

namespace kclinic::adapters::storage::sql {

using app::TimePoint;

Result<std::vector<std::pair<std::string, std::string>>> SqlTransaction::LoadSettings() {
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     connection_.Query("SELECT name, value FROM clinic_settings ORDER BY name", {}));
    std::vector<std::pair<std::string, std::string>> settings;
    for (const SqlRow& row : rows) {
        RowReader read(row);
        std::pair<std::string, std::string> setting{read.Text(0), read.Text(1)};
        if (!read.ok()) {
            return Corrupt("clinic_settings");
        }
        settings.push_back(std::move(setting));
    }
    return settings;
}

Status SqlTransaction::SaveSetting(std::string_view name, std::string_view value, TimePoint changed_at,
                                   std::string_view changed_by) {
    const std::vector<SqlValue> params = {std::string(name), std::string(value), Millis(changed_at),
                                          std::string(changed_by)};
    return StatusOf(
        connection_.Query("INSERT INTO clinic_settings (name, value, changed_at, changed_by) VALUES ($1, $2, $3, $4) "
                          "ON CONFLICT (name) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at, "
                          "changed_by = excluded.changed_by",
                          params));
}

}  // namespace kclinic::adapters::storage::sql
