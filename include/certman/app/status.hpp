// What the daemon knows about each certificate and each deployer, shown by /metrics, /status and
// `certman status`. Plain values: the renewal manager writes them, the pages read them.
#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace certman::app {

using sys_seconds = std::chrono::sys_seconds;

struct deploy_status {
    bool ok = false;
    std::optional<sys_seconds> last_attempt;
    std::optional<sys_seconds> last_success;
    std::string deployed_serial;  // serial of the certificate last deployed successfully
    std::string last_error;
    std::uint64_t successes = 0, failures = 0;
};

struct certificate_status {
    std::string name;
    std::vector<std::string> domains;
    std::string serial;
    std::optional<sys_seconds> not_before, not_after, next_renewal, last_success, last_attempt;
    std::string next_renewal_reason;
    int consecutive_failures = 0;
    std::uint64_t checks = 0;  // completed decisions (renewal passes that looked at it): proves the loop is alive
    std::string last_error;
    // The latest storage error of this certificate's passes (a write refused: disk full, bucket denied...),
    // cleared by the next successful state write; and how many there were.
    std::string storage_error;
    std::uint64_t storage_errors = 0;
    std::map<std::string, std::uint64_t> renewals_by_reason;
    std::map<std::string, std::uint64_t> failures_by_reason;
    std::map<std::string, deploy_status> deploys;  // by deployer name
};

struct acme_stats {
    std::map<std::string, std::uint64_t> requests;  // "<kind> <status>" e.g. "newOrder 201"
    double request_seconds_sum = 0;
    std::uint64_t request_count = 0;
    std::uint64_t bad_nonce_retries = 0;
};

}  // namespace certman::app
