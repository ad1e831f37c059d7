#pragma once

// Test support: a real `kclinic serve` on a free loopback port over a fresh database of either backend (a SQLite
// file, or a database on the throw-away PostgreSQL server of the postgres_server CTest fixture), with users added
// through the real `kclinic user add` and `kclinic token create` commands.

#include <csignal>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/storage/contract/test_stores.hpp"
#include "cli/testing/api_client.hpp"
#include "cli/testing/serve_process.hpp"

namespace kclinic::cli::testing {

using adapters::storage::contract::Backend;

// Every user the fixtures add has this password (it satisfies the password policy).
inline constexpr std::string_view kTestPassword = "correct horse battery staple";

class ClinicServer {
public:
    // A new empty database and a server on it, started with `serve_options` besides --db and --listen (such as
    // "--test-clock"); nullptr (with a test failure) when either cannot be had. Its clinic requires no second factor
    // of any role (unlike a real clinic's defaults), so that tests of other features log in with a password; the
    // second factor's own tests require it again (SetSecondFactorPolicy).
    static std::unique_ptr<ClinicServer> Start(Backend backend, std::vector<std::string> serve_options = {});
    // Another server process on `first`'s database, with its options, as clinics scale out behind a load balancer;
    // the database stays until the last server on it is gone. nullptr (with a test failure) when it does not start.
    static std::unique_ptr<ClinicServer> StartBeside(ClinicServer& first);

    [[nodiscard]] std::uint16_t port() const { return port_; }
    // The MLLP listener's port when started with "--mllp" (read from the line serve prints after its URL); 0 else.
    [[nodiscard]] std::uint16_t mllp_port() const { return mllp_port_; }
    [[nodiscard]] adapters::storage::contract::TestDatabase& database() { return *database_; }

    // `kclinic user second-factor-policy POLICY ROLE...` (required | optional); a test failure when it fails.
    void SetSecondFactorPolicy(const std::string& policy, const std::vector<std::string>& roles);
    // `kclinic user add EMAIL --role ROLE [--patient-id ID]` with kTestPassword; a test failure when it fails.
    void AddUser(const std::string& email, const std::string& role, std::optional<std::int64_t> patient = {});
    // One user of each staff role, ROLE@clinic.example: admin, prescriber, nurse, therapist and front_desk.
    void AddStaff();
    // `kclinic token create EMAIL --name NAME`: the token.
    [[nodiscard]] std::string CreateToken(const std::string& email, const std::string& name = "test");
    // A client acting with a new API token of `email`.
    [[nodiscard]] ApiClient ClientWithToken(const std::string& email);
    // A client logged in (a browser session) as `email`.
    [[nodiscard]] ApiClient LoggedIn(const std::string& email) const;
    // Through the API, as prescriber@clinic.example (added by the caller): the patient's history of treatment-resistant
    // depression (F33.2, two failed adequate trials), a screening for `product` at an unremarkable intake, signed as
    // accepted. A course needs one (docs/clinical-rules.md, "Starting a course"); a test failure unless it is
    // stored, signed and allows a course.
    void SignedScreening(std::int64_t patient_id, const std::string& product);

    // Stops the server with SIGTERM and returns its exit status.
    int Stop() { return process_->StopWith(SIGTERM); }
    // Kills the server with SIGKILL, as a power cut would: no shutdown, nothing flushed but what was committed.
    void Kill() { process_->StopWith(SIGKILL); }
    // What the server wrote after its first lines: the rest of stdout, then its log (stderr). REQUIRES: stopped.
    [[nodiscard]] std::string Output() { return process_->RestOfOutput(); }

private:
    // Starts the process on database_.
    bool Launch();

    std::shared_ptr<adapters::storage::contract::TestDatabase> database_;
    std::vector<std::string> serve_options_;
    std::unique_ptr<ServeProcess> process_;
    std::uint16_t port_ = 0;
    std::uint16_t mllp_port_ = 0;
    int tokens_ = 0;
};

// Through the API as `client`: registers a patient with `mrn`, born 1980-03-14, named `given` `family`, of `sex`;
// its id (0, with a test failure, when refused).
std::int64_t RegisterPatient(ApiClient& client, const std::string& mrn, const std::string& given,
                             const std::string& family, const std::string& sex);

}  // namespace kclinic::cli::testing
