"""Signing report PDFs (PAdES, with pyHanko): bytes in, signed bytes out.

The report is rendered to deterministic bytes first and signed as an incremental update, so the
signed file starts with exactly the bytes pia renders: `pia verify` can render the embedded data
again and compare it with the revision the signature covers.

Key material is either an organisation's own (PEM certificate and key, or one PKCS#12 file) or
the installation's own self-signed certificate, created on first use in a folder of its own.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from pia.errors import PiaError

CERTIFICATE_FILE = "certificate.pem"
KEY_FILE = "key.pem"
SIGNATURE_FIELD = "pia-signature"
# Room for the CMS signature: the signer's certificate, a chain of a few more, and the signature.
SIGNATURE_BYTES = 16384
CERTIFICATE_YEARS = 10
SIGNING_REASON = "Issued by pia: this report has not been changed since it was signed"


class SigningError(PiaError):
    """The signing key or certificate cannot be used, or the PDF cannot be signed."""


@dataclass(frozen=True)
class SigningKey:
    """A private key with its certificate (and any chain certificates), ready to sign."""

    certificate: x509.Certificate
    private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    chain: tuple[x509.Certificate, ...] = ()
    _signer: signers.SimpleSigner = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        key_der = self.private_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        certificate = _asn1(self.certificate)
        registry = SimpleCertificateStore.from_certs(
            [certificate, *(_asn1(item) for item in self.chain)]
        )
        signer = signers.SimpleSigner(
            signing_cert=certificate,
            signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
            cert_registry=registry,
        )
        object.__setattr__(self, "_signer", signer)

    @property
    def subject(self) -> str:
        return self.certificate.subject.rfc4514_string()

    @property
    def fingerprint(self) -> str:
        return certificate_fingerprint(self.certificate)


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def certificate_fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of the certificate's DER bytes, as colon-separated hex pairs (as browsers show)."""
    digest = hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()
    return ":".join(digest[index : index + 2] for index in range(0, len(digest), 2)).upper()


def sign_pdf(pdf: bytes, key: SigningKey) -> bytes:
    """`pdf` with a PAdES signature appended as an incremental update: the result starts with
    the unchanged `pdf` bytes. The signature sits in an (invisible) signature field, so readers
    list it in their signature panel."""
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        metadata = signers.PdfSignatureMetadata(
            field_name=SIGNATURE_FIELD,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=SIGNING_REASON,
            name=key.certificate.subject.rfc4514_string(),
        )
        # A fixed reservation: pyHanko would otherwise sign twice to measure the signature.
        signed = signers.sign_pdf(
            writer, metadata, signer=key._signer, bytes_reserved=SIGNATURE_BYTES
        )
    except (PdfError, ValueError, KeyError, TypeError) as error:
        raise SigningError(f"the PDF cannot be signed: {error}") from error
    return signed.getvalue()


def load_signing_key(
    certificate_path: str | os.PathLike[str],
    key_path: str | os.PathLike[str] | None = None,
    passphrase: str | None = None,
) -> SigningKey:
    """An organisation's own key: a PKCS#12 file (.p12/.pfx, key and certificate together) when
    `key_path` is None, else a PEM certificate (followed by any chain) and a PEM private key."""
    secret = passphrase.encode("utf-8") if passphrase else None
    certificate_file = Path(certificate_path)
    data = _read(certificate_file, "certificate")
    if key_path is None:
        try:
            key, certificate, extra = pkcs12.load_key_and_certificates(data, secret)
        except (ValueError, TypeError) as error:
            raise SigningError(
                f"{certificate_file} is not a PKCS#12 file this passphrase opens ({error}); "
                "give a PEM certificate with its key file, or the PKCS#12 passphrase"
            ) from None
        if key is None or certificate is None:
            raise SigningError(f"{certificate_file} holds no private key with its certificate")
        return _checked(certificate, key, tuple(extra), certificate_file)
    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError as error:
        raise SigningError(f"{certificate_file} is not a PEM certificate ({error})") from None
    key_file = Path(key_path)
    try:
        key = serialization.load_pem_private_key(_read(key_file, "private key"), secret)
    except (ValueError, TypeError) as error:
        raise SigningError(
            f"{key_file} is not a PEM private key this passphrase opens ({error})"
        ) from None
    return _checked(certificates[0], key, tuple(certificates[1:]), certificate_file)


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise SigningError(f"cannot read the signing {what} {path}: {error.strerror}") from None


def _checked(
    certificate: x509.Certificate, key: object, chain: tuple[x509.Certificate, ...], path: Path
) -> SigningKey:
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SigningError(f"the key for {path} is neither RSA nor EC: pia cannot sign with it")
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(serialization.Encoding.DER, public) != (
        certificate.public_key().public_bytes(serialization.Encoding.DER, public)
    ):
        raise SigningError(f"the private key does not belong to the certificate in {path}")
    return SigningKey(certificate, key, chain)


def installation_signing_key(folder: str | os.PathLike[str], name: str) -> SigningKey:
    """The installation's own key in `folder`: created on first use as a self-signed certificate
    for `name`, then read back on every later call (and by every other process)."""
    directory = Path(folder)
    certificate_file, key_file = directory / CERTIFICATE_FILE, directory / KEY_FILE
    if not certificate_file.exists():
        _create(directory, name)
    return load_signing_key(certificate_file, key_file)


def installation_certificate(folder: str | os.PathLike[str]) -> x509.Certificate | None:
    """The installation's own certificate, if one was created; never creates one."""
    path = Path(folder) / CERTIFICATE_FILE
    if not path.exists():
        return None
    return load_certificate(path)


def load_certificate(path: str | os.PathLike[str]) -> x509.Certificate:
    """A certificate from a PEM (or DER) file: one given to `pia verify --trust`."""
    data = _read(Path(path), "certificate")
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)[0]
        return x509.load_der_x509_certificate(data)
    except ValueError as error:
        raise SigningError(f"{path} is not a PEM or DER certificate ({error})") from None


def _create(directory: Path, name: str) -> None:
    """Writes a new key and self-signed certificate. The key file is created exclusively, so two
    processes starting at once cannot each write a different key: the loser waits for the
    winner's certificate."""
    directory.mkdir(parents=True, exist_ok=True)
    key_file = directory / KEY_FILE
    key = ec.generate_private_key(ec.SECP256R1())
    try:
        handle = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        _wait_for(directory / CERTIFICATE_FILE)
        return
    with os.fdopen(handle, "wb") as out:
        out.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    certificate = self_signed_certificate(key, name)
    partial = directory / (CERTIFICATE_FILE + ".new")
    partial.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    partial.replace(directory / CERTIFICATE_FILE)  # appears whole or not at all


def _wait_for(path: Path, seconds: float = 10.0) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > deadline:
            raise SigningError(
                f"{path.parent} holds a signing key without its certificate: remove "
                f"{KEY_FILE} there so a new pair is created, or restore {CERTIFICATE_FILE}"
            )
        time.sleep(0.05)


def self_signed_certificate(
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, name: str
) -> x509.Certificate:
    """A certificate for document signing, issued by itself to `name`."""
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
        ]
    )
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * CERTIFICATE_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
