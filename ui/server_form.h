#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace hoist {

// The server part of both the first-run and the settings dialog: address,
// token, an optional CA file for a self-signed server, and "Test connection"
// with its result in words.
class ServerForm final : public QWidget {
    Q_OBJECT
  public:
    explicit ServerForm(QWidget* parent = nullptr);

    QUrl serverUrl() const;
    void setServerUrl(const QUrl& url);
    QString token() const;
    void setToken(const QString& token);
    QString caFile() const;
    void setCaFile(const QString& path);
    void setCaFileVisible(bool visible);

    // Runs the check; testFinished() follows (also used by tests).
    void testConnection();
    QString testResult() const;

  signals:
    void testFinished(bool ok);

  private:
    void chooseCaFile();

    QLineEdit* m_url;
    QLineEdit* m_token;
    QLineEdit* m_caFile;
    QWidget* m_caRow;
    QLabel* m_caLabel;
    QPushButton* m_test;
    QLabel* m_result;
};

} // namespace hoist
