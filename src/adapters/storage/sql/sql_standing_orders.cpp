// Standing-order sets, one-off orders, PRN doses and their responses over SqlConnection; schema in
// migrations/*_standing_orders.sql, whose triggers keep every table append-only.

#include <algorithm>
#include <iterator>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "adapters/storage/sql/json_columns.hpp"
#include "adapters/storage/sql/row_reader.hpp"
#include "adapters/storage/sql/sql_transaction.hpp"

namespace kclinic::adapters::storage::sql {
namespace {

// The columns of clinical::PrnOrderTerms, in both tables that hold terms.
constexpr std::string_view kTermsColumns =
    "drug, dose, unit, routes, indication, sbp_at_or_above, sbp_sustained_minutes, max_doses_per_session, "
    "max_total_per_session, min_interval_minutes";
constexpr std::size_t kTermsColumnCount = 10;

std::vector<SqlValue> TermsParams(const clinical::PrnOrderTerms& terms) {
    std::vector<std::string> routes;
    for (clinical::MedicationRoute route : terms.routes) {
        routes.emplace_back(clinical::kMedicationRouteNames.Name(route));
    }
    const bool sbp = terms.sbp_condition.has_value();
    return {terms.drug,
            terms.dose,
            std::string(clinical::kMedicationUnitNames.Name(terms.unit)),
            StringsToJson(routes),
            terms.indication,
            sbp ? SqlValue{std::int64_t{terms.sbp_condition->systolic_at_or_above_mmhg}} : SqlValue{},
            sbp ? SqlValue{std::int64_t{terms.sbp_condition->sustained_minutes}} : SqlValue{},
            std::int64_t{terms.max_doses_per_session},
            OptionalReal(terms.max_total_per_session),
            std::int64_t{terms.min_interval_minutes}};
}

// The terms in columns first .. first + kTermsColumnCount - 1; false when a column does not match the schema.
bool ReadTerms(RowReader& read, std::size_t first, clinical::PrnOrderTerms& terms) {
    terms.drug = read.Text(first);
    terms.dose = read.Double(first + 1);
    const std::optional<clinical::MedicationUnit> unit = clinical::kMedicationUnitNames.Parse(read.Text(first + 2));
    const std::optional<std::vector<std::string>> routes = StringsFromJson(read.Text(first + 3));
    terms.indication = read.Text(first + 4);
    if (!read.IsNull(first + 5)) {
        terms.sbp_condition =
            clinical::SbpCondition{static_cast<int>(read.Int(first + 5)), static_cast<int>(read.Int(first + 6))};
    }
    terms.max_doses_per_session = static_cast<int>(read.Int(first + 7));
    terms.max_total_per_session = ReadOptionalReal(read, first + 8);
    terms.min_interval_minutes = static_cast<int>(read.Int(first + 9));
    if (!unit || !routes) {
        return false;
    }
    terms.unit = *unit;
    for (const std::string& name : *routes) {
        const std::optional<clinical::MedicationRoute> route = clinical::kMedicationRouteNames.Parse(name);
        if (!route) {
            return false;
        }
        terms.routes.push_back(*route);
    }
    return read.ok();
}

Result<app::OneOffOrder> OneOffOrderFromRow(const SqlRow& row) {
    RowReader read(row);
    app::OneOffOrder order;
    order.id = app::OneOffOrderId{read.Int(0)};
    order.session = app::SessionId{read.Int(1)};
    order.patient = app::PatientId{read.Int(2)};
    const bool terms_ok = ReadTerms(read, 3, order.terms);
    const std::optional<std::vector<std::string>> acknowledged = StringsFromJson(read.Text(13));
    order.signed_at = FromMillis(read.Int(14));
    order.signed_by = read.Text(15);
    if (!terms_ok || !acknowledged || !read.ok()) {
        return Corrupt("one_off_orders");
    }
    order.acknowledged_interactions = *acknowledged;
    return order;
}

std::string OneOffOrderSelect() {
    return "SELECT id, session_id, patient_id, " + std::string(kTermsColumns) +
           ", acknowledged_interactions, signed_at, signed_by FROM one_off_orders";
}

}  // namespace

Result<app::StandingOrderSetId> SqlTransaction::InsertStandingOrderSet(const app::StandingOrderSet& set) {
    const std::vector<SqlValue> params = {std::int64_t{set.version}, set.note, Millis(set.signed_at), set.signed_by};
    Result<std::vector<SqlRow>> rows = connection_.Query(
        "INSERT INTO standing_order_sets (version, note, signed_at, signed_by) VALUES ($1, $2, $3, $4) RETURNING id",
        params);
    if (!rows.ok()) {
        if (IsUniqueViolation(rows.error(), "standing_order_sets.version", "standing_order_sets_version_key")) {
            return Error{ErrorCode::kConflict, "version",
                         "version " + std::to_string(set.version) +
                             " of the standing orders was signed meanwhile; read the set in force and sign again"};
        }
        return rows.error();
    }
    const app::StandingOrderSetId id{InsertedId(*rows)};
    for (const app::StandingOrderEntry& entry : set.entries) {
        std::vector<SqlValue> entry_params = {id.value, std::int64_t{entry.number}};
        std::ranges::move(TermsParams(entry.terms), std::back_inserter(entry_params));
        RETURN_IF_ERROR(connection_.Query("INSERT INTO standing_order_entries (set_id, entry_number, " +
                                              std::string(kTermsColumns) +
                                              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                                          entry_params));
    }
    return id;
}

Result<std::vector<app::StandingOrderSet>> SqlTransaction::ListStandingOrderSets() {
    ASSIGN_OR_RETURN(
        std::vector<app::StandingOrderSet> sets,
        QueryRows<app::StandingOrderSet>(
            connection_, "SELECT id, version, note, signed_at, signed_by FROM standing_order_sets ORDER BY version", {},
            [](const SqlRow& row) -> Result<app::StandingOrderSet> {
                RowReader read(row);
                app::StandingOrderSet set;
                set.id = app::StandingOrderSetId{read.Int(0)};
                set.version = static_cast<int>(read.Int(1));
                set.note = read.Text(2);
                set.signed_at = FromMillis(read.Int(3));
                set.signed_by = read.Text(4);
                if (!read.ok()) {
                    return Corrupt("standing_order_sets");
                }
                return set;
            }));
    using Entry = std::pair<std::int64_t, app::StandingOrderEntry>;
    ASSIGN_OR_RETURN(std::vector<Entry> entries,
                     QueryRows<Entry>(connection_,
                                      "SELECT set_id, entry_number, " + std::string(kTermsColumns) +
                                          " FROM standing_order_entries ORDER BY set_id, entry_number",
                                      {}, [](const SqlRow& row) -> Result<Entry> {
                                          RowReader read(row);
                                          Entry entry;
                                          entry.first = read.Int(0);
                                          entry.second.number = static_cast<int>(read.Int(1));
                                          if (!ReadTerms(read, 2, entry.second.terms)) {
                                              return Corrupt("standing_order_entries");
                                          }
                                          return entry;
                                      }));
    std::map<std::int64_t, app::StandingOrderSet*> by_id;
    for (app::StandingOrderSet& set : sets) {
        by_id[set.id.value] = &set;
    }
    for (Entry& entry : entries) {
        const auto set = by_id.find(entry.first);
        if (set == by_id.end()) {
            return Corrupt("standing_order_entries");
        }
        set->second->entries.push_back(std::move(entry.second));
    }
    return sets;
}

Result<app::OneOffOrderId> SqlTransaction::InsertOneOffOrder(const app::OneOffOrder& order) {
    std::vector<SqlValue> params = {order.session.value, order.patient.value};
    std::ranges::move(TermsParams(order.terms), std::back_inserter(params));
    params.emplace_back(StringsToJson(order.acknowledged_interactions));
    params.emplace_back(Millis(order.signed_at));
    params.emplace_back(order.signed_by);
    static_assert(kTermsColumnCount == 10);
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query("INSERT INTO one_off_orders (session_id, patient_id, " + std::string(kTermsColumns) +
                              ", acknowledged_interactions, signed_at, signed_by) VALUES ($1, $2, $3, $4, "
                              "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
                          params));
    return app::OneOffOrderId{InsertedId(rows)};
}

Result<app::OneOffOrder> SqlTransaction::GetOneOffOrder(app::OneOffOrderId id) {
    return QueryOne(connection_, OneOffOrderSelect() + " WHERE id = $1", {id.value}, OneOffOrderFromRow,
                    Error{ErrorCode::kNotFound, "order_id", "no one-off order " + std::to_string(id.value)});
}

Result<std::vector<app::OneOffOrder>> SqlTransaction::ListOneOffOrders(app::SessionId session) {
    return QueryRows<app::OneOffOrder>(connection_, OneOffOrderSelect() + " WHERE session_id = $1 ORDER BY id",
                                       {session.value}, OneOffOrderFromRow);
}

Status SqlTransaction::InsertPrnDose(app::SessionMedicationId dose, const app::PrnOrderRef& order) {
    const std::vector<SqlValue> params = {
        dose.value, order.standing_order_set ? SqlValue{order.standing_order_set->value} : SqlValue{},
        order.standing_order_set ? SqlValue{std::int64_t{order.entry_number}} : SqlValue{},
        order.one_off_order ? SqlValue{order.one_off_order->value} : SqlValue{}};
    return StatusOf(connection_.Query(
        "INSERT INTO prn_doses (session_medication_id, set_id, entry_number, one_off_order_id) VALUES ($1, $2, $3, $4)",
        params));
}

Result<std::vector<app::PrnDose>> SqlTransaction::ListPrnDoses(app::SessionId session) {
    ASSIGN_OR_RETURN(const std::vector<app::SessionMedication> medications, ListSessionMedications(session));
    using Row = std::pair<std::int64_t, app::PrnDose>;
    ASSIGN_OR_RETURN(std::vector<Row> rows,
                     QueryRows<Row>(connection_,
                                    "SELECT d.session_medication_id, d.set_id, d.entry_number, d.one_off_order_id, "
                                    "r.effective, r.note, r.recorded_at, r.recorded_by FROM prn_doses d JOIN "
                                    "session_medications m ON m.id = d.session_medication_id LEFT JOIN prn_responses r "
                                    "ON r.session_medication_id = d.session_medication_id WHERE m.session_id = $1",
                                    {session.value}, [](const SqlRow& row) -> Result<Row> {
                                        RowReader read(row);
                                        Row parsed;
                                        parsed.first = read.Int(0);
                                        app::PrnOrderRef& order = parsed.second.order;
                                        if (!read.IsNull(1)) {
                                            order.standing_order_set = app::StandingOrderSetId{read.Int(1)};
                                            order.entry_number = static_cast<int>(read.Int(2));
                                        }
                                        if (!read.IsNull(3)) {
                                            order.one_off_order = app::OneOffOrderId{read.Int(3)};
                                        }
                                        if (!read.IsNull(4)) {
                                            parsed.second.response = app::PrnResponse{
                                                read.Bool(4), read.Text(5), FromMillis(read.Int(6)), read.Text(7)};
                                        }
                                        if (!read.ok()) {
                                            return Corrupt("prn_doses");
                                        }
                                        return parsed;
                                    }));
    std::map<std::int64_t, app::PrnDose> by_medication;
    for (Row& row : rows) {
        by_medication.emplace(row.first, std::move(row.second));
    }
    std::vector<app::PrnDose> doses;
    for (const app::SessionMedication& medication : medications) {  // given_at order
        const auto found = by_medication.find(medication.id.value);
        if (found != by_medication.end()) {
            found->second.medication = medication;
            doses.push_back(std::move(found->second));
        }
    }
    return doses;
}

Result<app::PrnDose> SqlTransaction::GetPrnDose(app::SessionMedicationId dose) {
    const Error not_found{ErrorCode::kNotFound, "dose_id", "no PRN dose " + std::to_string(dose.value)};
    ASSIGN_OR_RETURN(const app::SessionId session,
                     QueryOne(
                         connection_,
                         "SELECT m.session_id FROM prn_doses d JOIN session_medications m ON m.id = "
                         "d.session_medication_id WHERE d.session_medication_id = $1",
                         {dose.value},
                         [](const SqlRow& row) -> Result<app::SessionId> {
                             RowReader read(row);
                             const app::SessionId id{read.Int(0)};
                             if (!read.ok()) {
                                 return Corrupt("prn_doses");
                             }
                             return id;
                         },
                         not_found));
    ASSIGN_OR_RETURN(std::vector<app::PrnDose> doses, ListPrnDoses(session));
    for (app::PrnDose& prn : doses) {
        if (prn.medication.id == dose) {
            return std::move(prn);
        }
    }
    return not_found;
}

Status SqlTransaction::InsertPrnResponse(app::SessionMedicationId dose, const app::PrnResponse& response) {
    const std::vector<SqlValue> params = {dose.value, std::int64_t{response.effective ? 1 : 0}, response.note,
                                          Millis(response.recorded_at), response.recorded_by};
    Result<std::vector<SqlRow>> rows = connection_.Query(
        "INSERT INTO prn_responses (session_medication_id, effective, note, recorded_at, "
        "recorded_by) VALUES ($1, $2, $3, $4, $5)",
        params);
    if (!rows.ok() && IsUniqueViolation(rows.error(), "prn_responses.session_medication_id", "prn_responses_pkey")) {
        return Error{ErrorCode::kConflict, "response",
                     "the response to dose " + std::to_string(dose.value) + " is already recorded"};
    }
    return StatusOf(rows);
}

Status SqlTransaction::LockSessionPrnDoses(app::SessionId session) {
    // As LockSessionDeviceFeed: the row's write lock holds on PostgreSQL until the transaction ends; SQLite's write
    // transactions are serial already.
    const std::vector<SqlValue> params = {session.value};
    return StatusOf(
        connection_.Query("INSERT INTO prn_session_locks (session_id, generation) VALUES ($1, 1) "
                          "ON CONFLICT (session_id) DO UPDATE SET generation = "
                          "prn_session_locks.generation + 1",
                          params));
}

}  // namespace kclinic::adapters::storage::sql
