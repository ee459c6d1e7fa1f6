#pragma once

#include "moto_server.h"
#include "s3_config.h"

namespace hoist::test {

// An S3Config for `bucket` on moto with its credentials, retrying quickly: tests wait
// for moto, never for back-off.
inline S3Config motoS3Config(const MotoServer& moto, const QString& bucket) {
    S3Config config;
    config.endpoint = moto.endpoint().toStdString();
    config.bucket = bucket.toStdString();
    config.region = moto.region().toStdString();
    config.accessKeyId = moto.accessKeyId().toStdString();
    config.secretAccessKey = moto.secretAccessKey().toStdString();
    config.maxAttempts = 2;
    config.retryBaseDelay = std::chrono::milliseconds(10);
    return config;
}

} // namespace hoist::test
