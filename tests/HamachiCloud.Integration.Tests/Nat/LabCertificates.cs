using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HamachiCloud.Integration.Tests.Nat;

/// <summary>
/// A throw-away certificate authority for lab servers, in PEM files under a temporary directory:
/// the CA certificate (what a client trusts) and server certificates it signs for an IP address
/// (subject alternative name). Disposing deletes the directory.
/// </summary>
internal sealed class LabCertificates : IDisposable
{
    private readonly X509Certificate2 _ca;

    private LabCertificates(string directory, X509Certificate2 ca)
    {
        Directory = directory;
        _ca = ca;
        CaPem = Path.Combine(directory, "ca.pem");
        File.WriteAllText(CaPem, ca.ExportCertificatePem());
    }

    public string Directory { get; }

    /// <summary>The CA certificate in PEM: a client that trusts this file trusts the servers signed here.</summary>
    public string CaPem { get; }

    public static LabCertificates Create(string name)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory($"hamachi-lab-ca-{name}-").FullName;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=HamachiCloud lab CA {name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = TimeProvider.System.GetUtcNow();
        var ca = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        return new LabCertificates(directory, ca);
    }

    /// <summary>A server certificate for <paramref name="address"/> signed by this CA; the certificate and key PEM paths.</summary>
    public (string CertificatePem, string KeyPem) IssueServer(IPAddress address)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={address}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(address);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // server authentication
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.Create(_ca, now.AddMinutes(-5), now.AddHours(12), RandomNumberGenerator.GetBytes(16));
        var stem = Path.Combine(Directory, address.ToString());
        File.WriteAllText(stem + ".pem", certificate.ExportCertificatePem());
        File.WriteAllText(stem + ".key", key.ExportPkcs8PrivateKeyPem());
        return (stem + ".pem", stem + ".key");
    }

    public void Dispose()
    {
        _ca.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
