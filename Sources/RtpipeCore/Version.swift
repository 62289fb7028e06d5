/// rtpipe's version, reported by `rtpipe --version` and stored with every result.
public enum RtpipeVersion {
    public static let string = "0.1.0"
}
