#pragma once

// Use cases of user administration: adding, listing, disabling and unlocking users, setting a password, and the
// API tokens machines authenticate with. Each takes the acting admin, checks its input, does all its work in one
// Store transaction and audits it there (user.create, user.list, user.disable, user.unlock, user.medical_director,
// user.password_set, token.create, token.list, token.revoke); a refusal writes nothing. Passwords and tokens never
// reach the audit log. Who may call these is decided before, by Authorize (Permission::kUserManage, kTokenManage).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/credentials.hpp"
#include "app/ports/store.hpp"
#include "app/records.hpp"
#include "base/result.hpp"

namespace kclinic::app {

struct NewUser {
    std::string email;         // any case; stored lower case (NormalizeEmail)
    std::string display_name;  // 0-200 characters, no control characters
    Role role = Role::kFrontDesk;
    std::string password;              // CheckPasswordPolicy
    std::optional<PatientId> patient;  // required for role patient, refused for every other role
};

// A new API token: its record, and the token itself, which is stored nowhere and shown this once.
struct NewApiToken {
    ApiToken record;
    std::string token;
};

// The user with `email` (already normalized, NormalizeEmail); kNotFound "email" when none.
[[nodiscard]] Result<User> UserByEmail(AccessTransaction& tx, const std::string& email);

class UserRecords {
public:
    // `store`, `clock` and `credentials` must outlive this object. Thread-safe when they are.
    UserRecords(Store& store, const Clock& clock, const Credentials& credentials)
        : store_(store), clock_(clock), credentials_(credentials) {}

    // Errors: kInvalidArgument naming the field ("email", "display_name", "password" with the policy rule that
    // failed, "patient_id" when given for a role other than patient or missing for a patient); kNotFound
    // "patient_id"; kConflict "email" when the address is taken (in any case), "patient_id" when that patient has a
    // user already. The address's earlier failed logins are forgotten.
    Result<User> AddUser(const Actor& actor, const NewUser& user);
    // Users with id > after, in id order; limit 1..kMaxPageSize.
    Result<std::vector<User>> ListUsers(const Actor& actor, UserId after, int limit);
    // Disables the user, ends every browser session and revokes every API token and the calendar feed of theirs, and
    // ends their designation as medical director.
    // Errors: kNotFound "email"; kFailedPrecondition "email" when already disabled, or when it is the actor's own
    // account.
    Result<User> DisableUser(const Actor& actor, std::string_view email);
    // Designates the user with `email` the clinic's medical director, in place of the one before (whose designation
    // ends in the same transaction); the director signs the explanation of a controlled-substance count's
    // discrepancy. Audited "user.medical_director". Errors: kNotFound "email"; kFailedPrecondition "email" when the
    // user is disabled or not a prescriber, or is the medical director already.
    Result<User> DesignateMedicalDirector(const Actor& actor, std::string_view email);
    // Forgets the user's failed logins and lifts any lock (also the one only an admin lifts). kNotFound "email".
    Result<User> UnlockUser(const Actor& actor, std::string_view email);
    // The password policy (CheckPasswordPolicy) takes 8 characters for a role the clinic's settings require a second
    // factor of (access.second_factor_*), 15 for any other.
    // Replaces the user's password (CheckPasswordPolicy), lifts any lock and ends their browser sessions (API tokens
    // stay). kInvalidArgument "password"; kNotFound "email".
    Result<User> SetPassword(const Actor& actor, std::string_view email, std::string_view password);

    // A new API token for the user with `email`, named `name` (1-100 characters, no control characters, unique
    // among the user's live tokens). Errors: kNotFound "email"; kFailedPrecondition "email" when the user is
    // disabled; kConflict "name".
    Result<NewApiToken> CreateApiToken(const Actor& actor, std::string_view email, std::string_view name);
    // Every token of the user, revoked ones included, oldest first. kNotFound "email".
    Result<std::vector<ApiToken>> ListApiTokens(const Actor& actor, std::string_view email);
    // kNotFound "token_id" when no such token; kFailedPrecondition "token_id" when already revoked.
    Result<ApiToken> RevokeApiToken(const Actor& actor, ApiTokenId id);

private:
    Store& store_;
    const Clock& clock_;
    const Credentials& credentials_;
};

}  // namespace kclinic::app
