#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>

// A moto_server (Python moto in server mode) started by a test on a free loopback port.
// With signature checking on, it behaves like S3 towards a wrong secret
// (SignatureDoesNotMatch): the first calls are free, and start() spends them creating
// an IAM user with an allow-all policy and an access key, whose credentials the test
// then uses. Moto cannot serve presigned URLs in that mode (it answers 500), so tests
// of presigned GETs use a second instance without checking.
//
// moto_server is found through $MOTO_SERVER, then PATH, then pyenv's shims. Debian 12
// has no package for it (no python3-moto) and PyPI is not reachable from these
// machines, so where it is missing start() fails and tests skip with that reason.
class MotoServer final {
  public:
    explicit MotoServer(bool checkSignatures = true);
    ~MotoServer();
    MotoServer(const MotoServer&) = delete;
    MotoServer& operator=(const MotoServer&) = delete;

    // Starts it and waits until it answers; false with errorString() on failure.
    bool start(int timeoutMs = 30000);
    void stop();
    QString errorString() const { return m_error; }
    // moto's own log (one line per request), kept out of the test's output.
    QString logPath() const { return m_logPath; }

    QString endpoint() const; // http://127.0.0.1:PORT
    quint16 port() const { return m_port; }
    QString accessKeyId() const { return m_accessKeyId; }
    QString secretAccessKey() const { return m_secretAccessKey; }
    QString region() const { return QStringLiteral("us-east-1"); }

    // Signed with this server's credentials, path-style.
    bool createBucket(const QString& bucket);
    // "key uploadId" of every multipart upload in progress in bucket (all pages).
    QStringList multipartUploads(const QString& bucket) const;

    // The environment for a hoistd that stores on this server.
    QProcessEnvironment credentialsEnvironment() const;

    static QString executable();

  private:
    bool waitUntilReady(int timeoutMs);
    bool createIamUser();

    bool m_checkSignatures;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QString m_accessKeyId = QStringLiteral("testing");
    QString m_secretAccessKey = QStringLiteral("testing");
    QString m_error;
    QString m_logPath;
};
