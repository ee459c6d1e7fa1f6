#pragma once

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

// A real hoistd started by a test: the binary CTest names in HOISTD_PATH, on a free
// loopback port, with the tokens tokA:alice and tokB:bob unless told otherwise.
class HoistdProcess final {
  public:
    explicit HoistdProcess(QString dataDir, QStringList extraArgs = {}, bool defaultTokens = true);
    ~HoistdProcess();

    // Extra environment for the server (S3 credentials, for instance).
    void setEnvironment(QProcessEnvironment environment) { m_environment = std::move(environment); }
    // Starts hoistd and waits for its "listening on URL" line.
    bool start(int timeoutMs = 15000);
    QUrl url() const { return m_url; }
    quint16 port() const { return static_cast<quint16>(m_url.port()); }
    // Later starts listen on the port this one got, as a restarted server keeps its
    // address (clients still holding it never reach another test's server instead).
    void keepPort();

    // SIGKILL: no chance to clean up (crash tests).
    void kill9();
    void sendSignal(int signal);
    bool waitForExit(int timeoutMs = 15000);
    // SIGTERM and wait; true when it exited by itself within the time.
    bool terminate(int timeoutMs = 15000);
    bool isRunning() const;
    // The peak resident memory of the running server (VmHWM of /proc/PID/status), in bytes.
    qint64 peakResidentBytes() const;
    int exitCode() const;
    QProcess::ExitStatus exitStatus() const;
    // Everything hoistd wrote to stderr, across restarts (kept in logPath()).
    QByteArray stderrOutput() const;
    QString logPath() const;
    QString dataDir() const { return m_dataDir; }

    static QString executable();

  private:
    QString m_dataDir;
    QStringList m_args;
    QProcessEnvironment m_environment = QProcessEnvironment::systemEnvironment();
    std::unique_ptr<QProcess> m_process;
    QUrl m_url;
};
