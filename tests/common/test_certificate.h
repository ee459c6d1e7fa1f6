#pragma once

#include <QString>

// A self-signed certificate for 127.0.0.1 and its key, made with the openssl command
// line in dir (cert.pem, key.pem); false when openssl failed.
struct TestCertificate {
    QString certFile;
    QString keyFile;
};

bool makeTestCertificate(const QString& dir, TestCertificate& out);
