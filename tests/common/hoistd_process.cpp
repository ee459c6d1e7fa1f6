#include "hoistd_process.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcessEnvironment>

#include <csignal>
#include <sys/types.h>

HoistdProcess::HoistdProcess(QString dataDir, QStringList extraArgs, bool defaultTokens)
    : m_dataDir(std::move(dataDir)) {
    m_args << "--listen"
           << "127.0.0.1:0"
           << "--data-dir" << m_dataDir;
    if (defaultTokens)
        m_args << "--token"
               << "tokA:alice"
               << "--token"
               << "tokB:bob";
    m_args << extraArgs;
}

HoistdProcess::~HoistdProcess() {
    if (isRunning())
        kill9();
}

QString HoistdProcess::executable() {
    return QProcessEnvironment::systemEnvironment().value("HOISTD_PATH", "hoistd");
}

void HoistdProcess::keepPort() {
    const qsizetype at = m_args.indexOf("--listen") + 1;
    m_args[at] = QStringLiteral("127.0.0.1:%1").arg(port());
}

bool HoistdProcess::start(int timeoutMs) {
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(executable());
    m_process->setArguments(m_args);
    m_process->setProcessEnvironment(m_environment);
    // A file, not a pipe: a chatty server must never block on a full stderr pipe
    // while the test is busy elsewhere.
    m_process->setStandardErrorFile(logPath(), QIODevice::Append);
    m_process->start();
    if (!m_process->waitForStarted(timeoutMs))
        return false;
    QElapsedTimer timer;
    timer.start();
    QByteArray out;
    while (timer.elapsed() < timeoutMs) {
        if (!m_process->canReadLine() && !m_process->waitForReadyRead(100)) {
            if (m_process->state() != QProcess::Running)
                return false;
            continue;
        }
        while (m_process->canReadLine()) {
            const QByteArray line = m_process->readLine().trimmed();
            const QByteArray prefix = "listening on ";
            if (line.startsWith(prefix)) {
                m_url = QUrl(QString::fromUtf8(line.mid(prefix.size())));
                return m_url.isValid();
            }
        }
    }
    return false;
}

qint64 HoistdProcess::peakResidentBytes() const {
    QFile status(QString("/proc/%1/status").arg(m_process ? m_process->processId() : 0));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
    }
    return -1;
}

void HoistdProcess::kill9() {
    if (!isRunning())
        return;
    sendSignal(SIGKILL);
    waitForExit(10000);
}

void HoistdProcess::sendSignal(int signal) {
    if (isRunning())
        ::kill(static_cast<pid_t>(m_process->processId()), signal);
}

bool HoistdProcess::waitForExit(int timeoutMs) {
    return !m_process || m_process->waitForFinished(timeoutMs) ||
           m_process->state() == QProcess::NotRunning;
}

bool HoistdProcess::terminate(int timeoutMs) {
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return true;
    m_process->terminate();
    return m_process->waitForFinished(timeoutMs);
}

bool HoistdProcess::isRunning() const {
    return m_process && m_process->state() != QProcess::NotRunning;
}

int HoistdProcess::exitCode() const {
    return m_process ? m_process->exitCode() : -1;
}

QProcess::ExitStatus HoistdProcess::exitStatus() const {
    return m_process ? m_process->exitStatus() : QProcess::CrashExit;
}

QString HoistdProcess::logPath() const {
    return m_dataDir + ".log";
}

QByteArray HoistdProcess::stderrOutput() const {
    QFile log(logPath());
    return log.open(QIODevice::ReadOnly) ? log.readAll() : QByteArray();
}
