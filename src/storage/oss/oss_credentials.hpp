// The access key oss_storage signs with, from [storage]: access_key_id + access_key_secret_file (the file must
// not be readable by group or others), else the environment (ALIBABA_CLOUD_ACCESS_KEY_ID,
// ALIBABA_CLOUD_ACCESS_KEY_SECRET, optional ALIBABA_CLOUD_SECURITY_TOKEN). Read once at startup; the secret is
// never logged. Throws std::runtime_error when neither source has a key or the secret file is unsafe.
#pragma once
#include <boost/asio/any_io_executor.hpp>

#include "certman/app/config.hpp"
#include "certman/cloud/alibaba/oss_client.hpp"

namespace certman::storage {

cloud::alibaba::credentials_source make_oss_credentials(boost::asio::any_io_executor executor,
                                                        const app::storage_config& config);

}  // namespace certman::storage
