#include "test_certificate.h"

#include <QDir>
#include <QProcess>

bool makeTestCertificate(const QString& dir, TestCertificate& out) {
    out.certFile = QDir(dir).filePath("cert.pem");
    out.keyFile = QDir(dir).filePath("key.pem");
    return QProcess::execute("openssl",
                             {"req", "-x509", "-newkey", "ec", "-pkeyopt",
                              "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                              "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
                              out.keyFile, "-out", out.certFile}) == 0;
}
