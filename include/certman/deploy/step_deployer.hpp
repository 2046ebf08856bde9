// A base for deployers whose job is one run() made of named steps (write a file, send a command, verify):
// it implements deploy() and last_error() as deployer.hpp's contract says, so that every such deployer logs
// a failure the same way — once, naming the deployer, the certificate, the step and the cause — and clears
// the error after a success. Subclasses report a failed step with fail(step, why, code).
#pragma once
#include <boost/asio/awaitable.hpp>
#include <string>
#include <string_view>
#include "certman/deploy/deployer.hpp"

namespace certman::deploy {

class step_deployer : public deployer {
public:
    // kind: the [[deployer]] kind as the SRE wrote it ("files", "haproxy"); name: the [[deployer]] name.
    step_deployer(std::string kind, std::string name) : kind_(std::move(kind)), name_(std::move(name)) {}

    const std::string& name() const final { return name_; }
    std::string last_error() const final { return last_error_; }
    boost::asio::awaitable<result<deploy_outcome>> deploy(const std::string& certificate_name,
                                                          const storage::certificate_bundle& bundle) final;

protected:
    // The deployer's work; failures go through fail(). Same reference rules as deploy().
    virtual boost::asio::awaitable<result<deploy_outcome>> run(const storage::certificate_bundle& bundle) = 0;

    // Records "<kind> <name>: <step>: <why>" as last_error() and returns code (for `co_return fail(...)`).
    boost::system::error_code fail(std::string_view step, const std::string& why, boost::system::error_code code);

    std::string last_error_;

private:
    std::string kind_;
    std::string name_;
};

}  // namespace certman::deploy
