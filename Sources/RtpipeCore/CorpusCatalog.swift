import Foundation

/// The reading-time corpora rtpipe knows, how to recognise an installed copy, and where to get one.
public struct KnownCorpus: Sendable {
    public let name: String
    public let title: String
    /// A file whose presence identifies the corpus in a folder.
    public let markerFiles: [String]
    public let licence: String
    public let obtain: String

    public static let all: [KnownCorpus] = [
        KnownCorpus(name: "naturalstories", title: "Natural Stories (self-paced reading)",
                    markerFiles: ["all_stories.tok"], licence: "CC BY-NC-SA 4.0",
                    obtain: "github.com/languageMIT/naturalstories (words/all_stories.tok, naturalstories_RTS/processed_wordinfo.tsv or processed_RTs.tsv)"),
        KnownCorpus(name: "dundee", title: "Dundee (eye tracking)",
                    markerFiles: ["tx01wrdp.dat"], licence: "licensed by the University of Dundee; not redistributable",
                    obtain: "request from the corpus authors (Kennedy & Pynte); put tx*wrdp.dat and s*ma*p.dat in one folder"),
        KnownCorpus(name: "provo", title: "Provo (eye tracking)",
                    markerFiles: ["Provo_Corpus-Eyetracking_Data.csv"], licence: "CC BY 4.0",
                    obtain: "osf.io/sjefs (Provo_Corpus-Eyetracking_Data.csv)"),
        KnownCorpus(name: "geco", title: "GECO English monolingual (eye tracking)",
                    markerFiles: ["MonolingualReadingData.xlsx", "MonolingualReadingData.csv"], licence: "see the GECO website",
                    obtain: "expsy.ugent.be/downloads/geco (EnglishMaterial.xlsx, MonolingualReadingData.xlsx)"),
        KnownCorpus(name: "meco", title: "MECO English L1 (eye tracking)",
                    markerFiles: ["meco_en.csv"], licence: "CC BY 4.0", obtain: "osf.io/3527a (export the English word-level data to CSV)"),
        KnownCorpus(name: "brown", title: "Brown self-paced reading (Smith & Levy 2013)",
                    markerFiles: ["brown_spr.csv"], licence: "see the authors' release", obtain: "from the authors' release (brown_spr.csv)"),
        KnownCorpus(name: "ucl", title: "UCL corpus (Frank et al. 2013)",
                    markerFiles: ["selfpacedreading.RT.txt", "eyetracking.RT.txt"], licence: "see the article's supplement",
                    obtain: "supplementary material of Frank et al. (2013), Behavior Research Methods"),
    ]

    /// Folders searched for installed corpora: `Corpora/<name>` in the project, then
    /// `../shared/corpora/<name>` beside the checkout.
    public func candidateFolders() -> [URL] {
        var out: [URL] = []
        if let root = RtpipePaths.projectRoot { out.append(root.appendingPathComponent("Corpora").appendingPathComponent(name)) }
        if let shared = RtpipePaths.sharedDirectory { out.append(shared.appendingPathComponent("corpora").appendingPathComponent(name)) }
        return out
    }

    /// The first candidate folder that holds one of the marker files.
    public func locate() -> URL? {
        let fm = FileManager.default
        return candidateFolders().first { dir in
            markerFiles.contains { fm.fileExists(atPath: dir.appendingPathComponent($0).path) }
        }
    }
}
