import Foundation

/// A value-chain phase an activity is in, by its code. What the code means (name, order, colour) is the dataset's
/// (`Strategy.phases`, from phases.csv), so a strategy can rename, recolour, add or drop phases.
public struct Phase: RawRepresentable, Hashable, Sendable, Codable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// A kind of actor, by its code; `Strategy.actorTypes` (actor_types.csv) names it.
public struct ActorType: RawRepresentable, Hashable, Sendable, Codable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

public struct PhaseDefinition: Hashable, Sendable, Codable {
    public var code: Phase
    public var name: String
    /// Drawn on the bars and in the legend.
    public var colour: String
    /// The phase number drawn inside a bar: dark or white, whichever the dataset chose for this colour.
    public var textColour: String
    public var description: String

    public init(code: Phase, name: String, colour: String, textColour: String, description: String = "") {
        self.code = code
        self.name = name
        self.colour = colour
        self.textColour = textColour
        self.description = description
    }
}

public struct ActorTypeDefinition: Hashable, Sendable, Codable {
    public var code: ActorType
    public var name: String
    /// The heading over a list of actors of this type.
    public var pluralName: String

    public init(code: ActorType, name: String, pluralName: String) {
        self.code = code
        self.name = name
        self.pluralName = pluralName
    }
}

/// The phases of a strategy's value chain, in order.
public struct PhaseCatalog: Hashable, Sendable, Codable {
    public let all: [PhaseDefinition]
    public init(_ all: [PhaseDefinition]) { self.all = all }

    public func definition(_ phase: Phase) -> PhaseDefinition {
        // A code the catalogue lacks cannot be stored (import and forms check it); show it plainly rather than fail.
        all.first { $0.code == phase }
            ?? PhaseDefinition(
                code: phase, name: phase.rawValue, colour: "#767676",
                textColour: "#ffffff")
    }
    public func name(_ phase: Phase) -> String { definition(phase).name }
    public func contains(_ phase: Phase) -> Bool { all.contains { $0.code == phase } }
    /// Position in the value chain, 0-based; unknown codes last.
    public func order(_ phase: Phase) -> Int { all.firstIndex { $0.code == phase } ?? all.count }
    /// The number drawn inside bars and beside the legend, so colour is never the only cue.
    public func number(_ phase: Phase) -> Int { order(phase) + 1 }

    /// The five phases of the Norwegian roadmap (Helsedirektoratet's value chain), used when a dataset has no
    /// phases.csv, so every older dataset and export still imports.
    public static let defaults = PhaseCatalog([
        .init(code: Phase(rawValue: "konsept"), name: "Konsept/mandat", colour: "#c7b8e0", textColour: "#1a1a1a"),
        .init(
            code: Phase(rawValue: "utvikling"), name: "Utvikling og begrenset utprøving", colour: "#4f8fc0",
            textColour: "#ffffff"),
        .init(
            code: Phase(rawValue: "tilpasning"), name: "Tilpasning og utvidet utprøving", colour: "#2e8b57",
            textColour: "#ffffff"),
        .init(code: Phase(rawValue: "innforing"), name: "Innføring", colour: "#e08a1e", textColour: "#1a1a1a"),
        .init(code: Phase(rawValue: "ny-praksis"), name: "Ny praksis i bruk", colour: "#3d3d3d", textColour: "#ffffff"),
    ])
}

/// The kinds of actors a strategy has, in the order lists group them.
public struct ActorTypeCatalog: Hashable, Sendable, Codable {
    public let all: [ActorTypeDefinition]
    public init(_ all: [ActorTypeDefinition]) { self.all = all }

    public func definition(_ type: ActorType) -> ActorTypeDefinition {
        all.first { $0.code == type } ?? ActorTypeDefinition(code: type, name: type.rawValue, pluralName: type.rawValue)
    }
    public func name(_ type: ActorType) -> String { definition(type).name }
    public func contains(_ type: ActorType) -> Bool { all.contains { $0.code == type } }

    /// The actor types of the Norwegian seed, used when a dataset has no actor_types.csv.
    public static let defaults = ActorTypeCatalog(
        [
            ("rhf", "Regionalt helseforetak", "Regionale helseforetak"), ("hf", "Helseforetak", "Helseforetak"),
            ("kommune", "Kommune / kommunal tjeneste", "Kommuner og kommunale tjenester"), ("ks", "KS", "KS"),
            ("nhn", "Norsk helsenett", "Norsk helsenett"), ("fhi", "Folkehelseinstituttet", "Folkehelseinstituttet"),
            ("helsedirektoratet", "Helsedirektoratet", "Helsedirektoratet"),
            ("direktorat", "Annet direktorat eller etat", "Andre direktorater og etater"),
            ("departement", "Departement", "Departementer"), ("fastleger", "Fastleger", "Fastleger"),
            ("apotek", "Apotek", "Apotek"), ("avtalespesialister", "Avtalespesialister", "Avtalespesialister"),
            ("legevakt", "Legevakt", "Legevakter"), ("leverandor", "Leverandør", "Leverandører"),
            ("annet", "Annet", "Andre"),
        ].map { ActorTypeDefinition(code: ActorType(rawValue: $0.0), name: $0.1, pluralName: $0.2) })
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (48...57).contains(self) || (65...70).contains(self) || (97...102).contains(self)
    }
}

/// WCAG 2 colour contrast, for checking a dataset's phase colours on import.
public enum Contrast {
    /// `#rrggbb` → relative luminance, or nil for anything else.
    public static func luminance(_ hex: String) -> Double? {
        let digits = hex.utf8.dropFirst()
        guard hex.utf8.count == 7, hex.first == "#", digits.allSatisfy({ $0.isHexDigit }),
            let v = UInt32(String(decoding: digits, as: UTF8.self), radix: 16)
        else { return nil }
        func channel(_ c: UInt32) -> Double {
            let s = Double(c) / 255
            return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(v >> 16 & 0xff) + 0.7152 * channel(v >> 8 & 0xff) + 0.0722 * channel(v & 0xff)
    }

    public static func ratio(_ a: String, _ b: String) -> Double? {
        guard let x = luminance(a), let y = luminance(b) else { return nil }
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }
}
