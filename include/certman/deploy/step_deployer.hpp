// A base for deployers whose job is one run() made of named steps (write a file, send a command, verify):
// it implements deploy() as deployer.hpp's contract says, so that every such deployer logs a failure the same
// way — once, naming the deployer, the certificate, the step and the cause. Subclasses report a failed step
// with `co_return fail(step, why, code)` or `co_return fail(step, cause)`.
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
    boost::asio::awaitable<result<deploy_outcome>> deploy(const std::string& certificate_name,
                                                          const storage::certificate_bundle& bundle) final;

protected:
    // The deployer's work; failures go through fail(). Same reference rules as deploy().
    virtual boost::asio::awaitable<result<deploy_outcome>> run(const storage::certificate_bundle& bundle) = 0;

    // The failure "<kind> <name>: <step>: <why>" with code.
    failure fail(std::string_view step, const std::string& why, boost::system::error_code code) const;
    // The same for a failed call: "<kind> <name>: <step>: <cause's message>", cause's code, hint and peer code.
    failure fail(std::string_view step, const failure& cause) const;

private:
    std::string kind_;
    std::string name_;
};

}  // namespace certman::deploy
