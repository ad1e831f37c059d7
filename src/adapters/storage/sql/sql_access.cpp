// Access over SqlConnection: users, login throttling, browser sessions and API tokens, schema in
// migrations/0007_users_and_access.sql; and the calendar feeds' tokens, migrations/0016_calendar_feeds.sql.

#include <optional>
#include <string>
#include <utility>

#include "adapters/storage/sql/row_reader.hpp"
#include "adapters/storage/sql/sql_transaction.hpp"
#include "app/record_names.hpp"

namespace kclinic::adapters::storage::sql {
namespace {

// A user with its email's login throttle (no row: no attempts).
constexpr std::string_view kUserSelect =
    "SELECT u.id, u.email, u.display_name, u.role, u.password_hash, u.disabled, u.patient_id, t.failed_logins, "
    "t.locked_until, u.created_at, u.created_by, u.updated_at, u.updated_by, u.medical_director "
    "FROM users u LEFT JOIN login_throttle t ON t.email = u.email ";

Result<app::User> UserFromRow(const SqlRow& row) {
    RowReader read(row);
    app::User user;
    user.id = app::UserId{read.Int(0)};
    user.email = read.Text(1);
    user.display_name = read.Text(2);
    Result<app::Role> role = app::ParseRole(read.Text(3));
    user.password_hash = read.Text(4);
    user.disabled = read.Bool(5);
    if (!read.IsNull(6)) {
        user.patient = app::PatientId{read.Int(6)};
    }
    user.failed_logins = read.IsNull(7) ? 0 : static_cast<int>(read.Int(7));
    user.locked_until = ReadOptionalTime(read, 8);
    user.created_at = FromMillis(read.Int(9));
    user.created_by = read.Text(10);
    user.updated_at = FromMillis(read.Int(11));
    user.updated_by = read.Text(12);
    user.medical_director = read.Bool(13);
    if (!read.ok() || !role.ok()) {
        return Corrupt("users");
    }
    user.role = *role;
    return user;
}

constexpr std::string_view kBrowserSessionColumns =
    "id, token_digest, user_id, csrf_token, created_at, last_seen_at, expires_at, ended_at, enrolment_only";

Result<app::BrowserSession> BrowserSessionFromRow(const SqlRow& row) {
    RowReader read(row);
    app::BrowserSession session;
    session.id = app::BrowserSessionId{read.Int(0)};
    session.token_digest = read.Text(1);
    session.user = app::UserId{read.Int(2)};
    session.csrf_token = read.Text(3);
    session.created_at = FromMillis(read.Int(4));
    session.last_seen_at = FromMillis(read.Int(5));
    session.expires_at = FromMillis(read.Int(6));
    session.ended_at = ReadOptionalTime(read, 7);
    session.enrolment_only = read.Bool(8);
    if (!read.ok()) {
        return Corrupt("browser_sessions");
    }
    return session;
}

constexpr std::string_view kApiTokenColumns = "id, user_id, name, token_digest, created_at, created_by, revoked_at";

Result<app::ApiToken> ApiTokenFromRow(const SqlRow& row) {
    RowReader read(row);
    app::ApiToken token;
    token.id = app::ApiTokenId{read.Int(0)};
    token.user = app::UserId{read.Int(1)};
    token.name = read.Text(2);
    token.token_digest = read.Text(3);
    token.created_at = FromMillis(read.Int(4));
    token.created_by = read.Text(5);
    token.revoked_at = ReadOptionalTime(read, 6);
    if (!read.ok()) {
        return Corrupt("api_tokens");
    }
    return token;
}

constexpr std::string_view kCalendarFeedColumns = "id, user_id, token_digest, created_at, created_by, revoked_at";

Result<app::CalendarFeed> CalendarFeedFromRow(const SqlRow& row) {
    RowReader read(row);
    app::CalendarFeed feed;
    feed.id = app::CalendarFeedId{read.Int(0)};
    feed.user = app::UserId{read.Int(1)};
    feed.token_digest = read.Text(2);
    feed.created_at = FromMillis(read.Int(3));
    feed.created_by = read.Text(4);
    feed.revoked_at = ReadOptionalTime(read, 5);
    if (!read.ok()) {
        return Corrupt("calendar_feeds");
    }
    return feed;
}

// Finds the one row `sql` selects, or none.
template <typename T, typename Parse>
Result<std::optional<T>> FindOne(SqlConnection& connection, std::string_view sql, const std::vector<SqlValue>& params,
                                 Parse parse) {
    ASSIGN_OR_RETURN(std::vector<T> rows, QueryRows<T>(connection, sql, params, parse));
    if (rows.empty()) {
        return std::optional<T>{};
    }
    return std::optional<T>{std::move(rows.front())};
}

// Runs an UPDATE ... RETURNING id; `not_found` when it changed no row.
Status UpdateOne(SqlConnection& connection, std::string_view sql, const std::vector<SqlValue>& params,
                 Error not_found) {
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows, connection.Query(sql, params));
    return rows.empty() ? Status(std::move(not_found)) : Status::Ok();
}

Status Run(SqlConnection& connection, std::string_view sql, const std::vector<SqlValue>& params) {
    return StatusOf(connection.Query(sql, params));
}

}  // namespace

Result<app::UserId> SqlTransaction::InsertUser(const app::User& user) {
    const std::vector<SqlValue> params = {user.email,
                                          user.display_name,
                                          std::string(app::RoleName(user.role)),
                                          user.password_hash,
                                          std::int64_t{user.disabled ? 1 : 0},
                                          user.patient ? SqlValue{user.patient->value} : SqlValue{},
                                          Millis(user.created_at),
                                          user.created_by,
                                          Millis(user.updated_at),
                                          user.updated_by};
    Result<std::vector<SqlRow>> rows = connection_.Query(
        "INSERT INTO users (email, display_name, role, password_hash, disabled, patient_id, created_at, created_by, "
        "updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        params);
    if (!rows.ok()) {
        Error error = rows.error();
        if (IsUniqueViolation(error, "users.patient_id", "users_patient_id_unique")) {
            error.field = "patient_id";
            error.message = "patient " + std::to_string(user.patient ? user.patient->value : 0) + " already has a user";
        } else if (IsUniqueViolation(error, "users.email", "users_email_unique")) {
            error.field = "email";
            error.message = "a user with email " + user.email + " already exists";
        }
        return error;
    }
    return app::UserId{InsertedId(*rows)};
}

Result<app::User> SqlTransaction::GetUser(app::UserId id) {
    const std::vector<SqlValue> params = {id.value};
    return QueryOne(connection_, std::string(kUserSelect) + "WHERE u.id = $1", params, UserFromRow,
                    Error{ErrorCode::kNotFound, "user_id", "no user with id " + std::to_string(id.value)});
}

Result<std::optional<app::User>> SqlTransaction::FindUserByEmail(std::string_view email) {
    const std::vector<SqlValue> params = {std::string(email)};
    return FindOne<app::User>(connection_, std::string(kUserSelect) + "WHERE u.email = $1", params, UserFromRow);
}

Result<std::optional<app::User>> SqlTransaction::FindPatientUser(app::PatientId patient) {
    const std::vector<SqlValue> params = {patient.value};
    return FindOne<app::User>(connection_, std::string(kUserSelect) + "WHERE u.patient_id = $1", params, UserFromRow);
}

Result<std::vector<app::User>> SqlTransaction::ListUsers(app::UserId after, int limit) {
    const std::vector<SqlValue> params = {after.value, std::int64_t{limit}};
    return QueryRows<app::User>(connection_, std::string(kUserSelect) + "WHERE u.id > $1 ORDER BY u.id LIMIT $2",
                                params, UserFromRow);
}

Status SqlTransaction::UpdateUser(const app::User& user) {
    const std::vector<SqlValue> params = {user.id.value,
                                          user.display_name,
                                          user.password_hash,
                                          std::int64_t{user.disabled ? 1 : 0},
                                          Millis(user.updated_at),
                                          user.updated_by,
                                          std::int64_t{user.medical_director ? 1 : 0}};
    Status updated =
        UpdateOne(connection_,
                  "UPDATE users SET display_name = $2, password_hash = $3, disabled = $4, updated_at = $5, "
                  "updated_by = $6, medical_director = $7 WHERE id = $1 RETURNING id",
                  params, Error{ErrorCode::kNotFound, "user_id", "no user with id " + std::to_string(user.id.value)});
    if (!updated.ok() && IsUniqueViolation(updated.error(), "users.medical_director", "users_one_medical_director")) {
        return Error{ErrorCode::kConflict, "medical_director", "another user is the medical director"};
    }
    return updated;
}

Result<std::optional<app::User>> SqlTransaction::FindMedicalDirector() {
    return FindOne<app::User>(connection_, std::string(kUserSelect) + "WHERE u.medical_director = 1", {}, UserFromRow);
}

Result<app::LoginThrottle> SqlTransaction::GetLoginThrottle(std::string_view email) {
    const std::vector<SqlValue> params = {std::string(email)};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query("SELECT failed_logins, locked_until FROM login_throttle WHERE email = $1", params));
    app::LoginThrottle throttle;
    if (!rows.empty()) {
        RowReader read(rows.front());
        throttle.failed_logins = static_cast<int>(read.Int(0));
        throttle.locked_until = ReadOptionalTime(read, 1);
        if (!read.ok()) {
            return Corrupt("login_throttle");
        }
    }
    return throttle;
}

Result<std::optional<int>> SqlTransaction::CountLoginAttempt(std::string_view email, app::TimePoint now) {
    // One upsert checks the lock and counts: PostgreSQL re-checks the WHERE on the row it locks, so two concurrent
    // attempts are counted one after the other and the second sees the lock the first set. An update refused by the
    // WHERE returns no row in both backends.
    const std::vector<SqlValue> params = {std::string(email), Millis(now)};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query("INSERT INTO login_throttle (email, failed_logins, locked_until) VALUES ($1, 1, NULL) "
                          "ON CONFLICT (email) DO UPDATE SET failed_logins = login_throttle.failed_logins + 1 "
                          "WHERE login_throttle.locked_until IS NULL OR login_throttle.locked_until <= $2 "
                          "RETURNING failed_logins",
                          params));
    if (rows.empty()) {
        return std::optional<int>{};
    }
    const std::int64_t count = InsertedId(rows);
    if (count <= 0) {
        return Corrupt("login_throttle");
    }
    return std::optional<int>{static_cast<int>(count)};
}

Status SqlTransaction::LockLogin(std::string_view email, app::TimePoint until) {
    const std::vector<SqlValue> params = {std::string(email), Millis(until)};
    return Run(connection_,
               "UPDATE login_throttle SET locked_until = $2 WHERE email = $1 "
               "AND (locked_until IS NULL OR locked_until < $2)",
               params);
}

Status SqlTransaction::ClearLoginThrottle(std::string_view email) {
    const std::vector<SqlValue> params = {std::string(email)};
    return Run(connection_, "DELETE FROM login_throttle WHERE email = $1", params);
}

Result<app::BrowserSessionId> SqlTransaction::InsertBrowserSession(const app::BrowserSession& session) {
    const std::vector<SqlValue> params = {session.token_digest,
                                          session.user.value,
                                          session.csrf_token,
                                          Millis(session.created_at),
                                          Millis(session.last_seen_at),
                                          Millis(session.expires_at),
                                          OptionalMillis(session.ended_at),
                                          std::int64_t{session.enrolment_only ? 1 : 0}};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query(
            "INSERT INTO browser_sessions (token_digest, user_id, csrf_token, created_at, last_seen_at, expires_at, "
            "ended_at, enrolment_only) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            params));
    return app::BrowserSessionId{InsertedId(rows)};
}

Result<std::optional<app::BrowserSession>> SqlTransaction::FindBrowserSession(std::string_view token_digest) {
    const std::vector<SqlValue> params = {std::string(token_digest)};
    return FindOne<app::BrowserSession>(
        connection_, "SELECT " + std::string(kBrowserSessionColumns) + " FROM browser_sessions WHERE token_digest = $1",
        params, BrowserSessionFromRow);
}

Status SqlTransaction::TouchBrowserSession(app::BrowserSessionId id, app::TimePoint at) {
    const std::vector<SqlValue> params = {id.value, Millis(at)};
    return UpdateOne(
        connection_, "UPDATE browser_sessions SET last_seen_at = $2 WHERE id = $1 AND ended_at IS NULL RETURNING id",
        params, Error{ErrorCode::kNotFound, "session", "no open browser session " + std::to_string(id.value)});
}

Status SqlTransaction::EndBrowserSession(app::BrowserSessionId id, app::TimePoint at) {
    const std::vector<SqlValue> params = {id.value, Millis(at)};
    return UpdateOne(
        connection_, "UPDATE browser_sessions SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL RETURNING id",
        params, Error{ErrorCode::kNotFound, "session", "no open browser session " + std::to_string(id.value)});
}

Status SqlTransaction::EndUserBrowserSessions(app::UserId user, app::TimePoint at) {
    const std::vector<SqlValue> params = {user.value, Millis(at)};
    return Run(connection_, "UPDATE browser_sessions SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL",
               params);
}

Result<std::optional<app::SecondFactor>> SqlTransaction::FindSecondFactor(app::UserId user) {
    const std::vector<SqlValue> params = {user.value};
    return FindOne<app::SecondFactor>(
        connection_,
        "SELECT f.user_id, f.totp_secret, f.created_at, f.confirmed_at, f.last_used_step, "
        "(SELECT COUNT(*) FROM recovery_codes c WHERE c.user_id = f.user_id AND c.used_at IS NULL) "
        "FROM second_factors f WHERE f.user_id = $1",
        params, [](const SqlRow& row) -> Result<app::SecondFactor> {
            RowReader read(row);
            app::SecondFactor factor;
            factor.user = app::UserId{read.Int(0)};
            factor.totp_secret = read.Text(1);
            factor.created_at = FromMillis(read.Int(2));
            factor.confirmed_at = ReadOptionalTime(read, 3);
            if (!read.IsNull(4)) {
                factor.last_used_step = read.Int(4);
            }
            factor.recovery_codes_left = static_cast<int>(read.Int(5));
            if (!read.ok()) {
                return Corrupt("second_factors");
            }
            return factor;
        });
}

Status SqlTransaction::BeginSecondFactor(const app::SecondFactor& factor) {
    // Replaces an unconfirmed key only: the WHERE refuses the update of a confirmed one, which then returns no row.
    const std::vector<SqlValue> params = {factor.user.value, factor.totp_secret, Millis(factor.created_at)};
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     connection_.Query("INSERT INTO second_factors (user_id, totp_secret, created_at) "
                                       "VALUES ($1, $2, $3) ON CONFLICT (user_id) DO UPDATE SET "
                                       "totp_secret = excluded.totp_secret, created_at = excluded.created_at "
                                       "WHERE second_factors.confirmed_at IS NULL RETURNING user_id",
                                       params));
    if (rows.empty()) {
        return Error{ErrorCode::kConflict, "second_factor",
                     "the user has a second factor already: an admin resets it before another is enrolled"};
    }
    return Status::Ok();
}

Status SqlTransaction::ConfirmSecondFactor(app::UserId user, app::TimePoint at, std::int64_t step,
                                           const std::vector<std::string>& recovery_code_digests) {
    const std::vector<SqlValue> params = {user.value, Millis(at), step};
    RETURN_IF_ERROR(UpdateOne(connection_,
                              "UPDATE second_factors SET confirmed_at = $2, last_used_step = $3 "
                              "WHERE user_id = $1 AND confirmed_at IS NULL RETURNING user_id",
                              params,
                              Error{ErrorCode::kNotFound, "second_factor",
                                    "no second factor awaits confirmation: begin the enrolment again"}));
    const std::vector<SqlValue> owner = {user.value};
    RETURN_IF_ERROR(Run(connection_, "DELETE FROM recovery_codes WHERE user_id = $1", owner));
    for (const std::string& digest : recovery_code_digests) {
        const std::vector<SqlValue> code = {user.value, digest};
        RETURN_IF_ERROR(Run(connection_, "INSERT INTO recovery_codes (user_id, code_digest) VALUES ($1, $2)", code));
    }
    return Status::Ok();
}

Result<bool> SqlTransaction::UseTotpStep(app::UserId user, std::int64_t step) {
    const std::vector<SqlValue> params = {user.value, step};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query("UPDATE second_factors SET last_used_step = $2 WHERE user_id = $1 "
                          "AND confirmed_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < $2) "
                          "RETURNING user_id",
                          params));
    return !rows.empty();
}

Result<bool> SqlTransaction::UseRecoveryCode(app::UserId user, std::string_view code_digest, app::TimePoint at) {
    const std::vector<SqlValue> params = {user.value, std::string(code_digest), Millis(at)};
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     connection_.Query("UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_digest = $2 "
                                       "AND used_at IS NULL RETURNING id",
                                       params));
    return !rows.empty();
}

Status SqlTransaction::DeleteSecondFactor(app::UserId user) {
    const std::vector<SqlValue> params = {user.value};
    RETURN_IF_ERROR(Run(connection_, "DELETE FROM recovery_codes WHERE user_id = $1", params));
    return Run(connection_, "DELETE FROM second_factors WHERE user_id = $1", params);
}

Result<app::ApiTokenId> SqlTransaction::InsertApiToken(const app::ApiToken& token) {
    const std::vector<SqlValue> params = {token.user.value, token.name, token.token_digest, Millis(token.created_at),
                                          token.created_by};
    Result<std::vector<SqlRow>> rows = connection_.Query(
        "INSERT INTO api_tokens (user_id, name, token_digest, created_at, created_by) "
        "VALUES ($1, $2, $3, $4, $5) RETURNING id",
        params);
    if (!rows.ok()) {
        Error error = rows.error();
        if (IsUniqueViolation(error, "api_tokens.user_id, api_tokens.name", "api_tokens_live_name")) {
            error.field = "name";
            error.message = "the user already has a live API token named \"" + token.name + "\"";
        }
        return error;
    }
    return app::ApiTokenId{InsertedId(*rows)};
}

Result<app::ApiToken> SqlTransaction::GetApiToken(app::ApiTokenId id) {
    const std::vector<SqlValue> params = {id.value};
    return QueryOne(connection_, "SELECT " + std::string(kApiTokenColumns) + " FROM api_tokens WHERE id = $1", params,
                    ApiTokenFromRow,
                    Error{ErrorCode::kNotFound, "token_id", "no API token with id " + std::to_string(id.value)});
}

Result<std::optional<app::ApiToken>> SqlTransaction::FindApiToken(std::string_view token_digest) {
    const std::vector<SqlValue> params = {std::string(token_digest)};
    return FindOne<app::ApiToken>(
        connection_, "SELECT " + std::string(kApiTokenColumns) + " FROM api_tokens WHERE token_digest = $1", params,
        ApiTokenFromRow);
}

Result<std::vector<app::ApiToken>> SqlTransaction::ListApiTokens(app::UserId user) {
    const std::vector<SqlValue> params = {user.value};
    return QueryRows<app::ApiToken>(
        connection_, "SELECT " + std::string(kApiTokenColumns) + " FROM api_tokens WHERE user_id = $1 ORDER BY id",
        params, ApiTokenFromRow);
}

Status SqlTransaction::RevokeApiToken(app::ApiTokenId id, app::TimePoint at) {
    const std::vector<SqlValue> params = {id.value, Millis(at)};
    return UpdateOne(connection_,
                     "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id", params,
                     Error{ErrorCode::kNotFound, "token_id", "no live API token with id " + std::to_string(id.value)});
}

Status SqlTransaction::RevokeUserApiTokens(app::UserId user, app::TimePoint at) {
    const std::vector<SqlValue> params = {user.value, Millis(at)};
    return Run(connection_, "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL", params);
}

Result<app::CalendarFeedId> SqlTransaction::InsertCalendarFeed(const app::CalendarFeed& feed) {
    const std::vector<SqlValue> params = {feed.user.value, feed.token_digest, Millis(feed.created_at), feed.created_by};
    Result<std::vector<SqlRow>> rows = connection_.Query(
        "INSERT INTO calendar_feeds (user_id, token_digest, created_at, created_by) VALUES ($1, $2, $3, $4) "
        "RETURNING id",
        params);
    if (!rows.ok()) {
        Error error = rows.error();
        if (IsUniqueViolation(error, "calendar_feeds.user_id", "calendar_feeds_live_user")) {
            error.field = "user";
            error.message = "the user already has a live calendar feed";
        }
        return error;
    }
    return app::CalendarFeedId{InsertedId(*rows)};
}

Result<std::optional<app::CalendarFeed>> SqlTransaction::FindCalendarFeed(std::string_view token_digest) {
    const std::vector<SqlValue> params = {std::string(token_digest)};
    return FindOne<app::CalendarFeed>(
        connection_, "SELECT " + std::string(kCalendarFeedColumns) + " FROM calendar_feeds WHERE token_digest = $1",
        params, CalendarFeedFromRow);
}

Result<std::optional<app::CalendarFeed>> SqlTransaction::FindLiveCalendarFeed(app::UserId user) {
    const std::vector<SqlValue> params = {user.value};
    return FindOne<app::CalendarFeed>(connection_,
                                      "SELECT " + std::string(kCalendarFeedColumns) +
                                          " FROM calendar_feeds WHERE user_id = $1 AND revoked_at IS NULL",
                                      params, CalendarFeedFromRow);
}

Status SqlTransaction::RevokeCalendarFeed(app::CalendarFeedId id, app::TimePoint at) {
    const std::vector<SqlValue> params = {id.value, Millis(at)};
    return UpdateOne(
        connection_, "UPDATE calendar_feeds SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id",
        params,
        Error{ErrorCode::kNotFound, "calendar_feed", "no live calendar feed with id " + std::to_string(id.value)});
}

}  // namespace kclinic::adapters::storage::sql
