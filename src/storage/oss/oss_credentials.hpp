// The access key oss_storage signs with: the credential chain of credentials_provider.hpp (access_key_id +
// access_key_secret_file from [storage], else the environment, else the ECS RAM role via metadata_endpoint),
// the same chain the SLB deployer uses. Nothing is read until the first request; the secret is never logged.
// Throws std::runtime_error for access_key_id without access_key_secret_file.
#pragma once
#include <boost/asio/any_io_executor.hpp>

#include "certman/cloud/alibaba/oss_client.hpp"
#include "certman/storage/oss_storage_options.hpp"

namespace certman::storage {

cloud::alibaba::credentials_source make_oss_credentials(boost::asio::any_io_executor executor,
                                                        const oss_storage_options& config);

}  // namespace certman::storage
