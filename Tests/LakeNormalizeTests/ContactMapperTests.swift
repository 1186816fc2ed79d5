import LakeCore
import LakeNormalize
import LakeParsers
import Testing

/// vCard contacts: entities only from values that are what they claim to be.
@Suite struct ContactMapperTests {
    let context = RecordContext(
        input: "contacts.zip", inputSHA256: String(repeating: "c", count: 64),
        path: "Takeout/Contacts/All Contacts/All Contacts.vcf", user: "u", ring: ShardRing(Thresholds()))

    func entities(_ vcf: String) throws -> [String] {
        let r = VCardReader(bytes: Array(vcf.utf8))
        let card = try #require(try r.next())
        return DocumentMappers.contact(card, index: 0, exportKind: "google-takeout", context: context).entities.map {
            $0.kind + ":" + $0.value
        }
    }

    @Test func anEmailValueThatIsNoAddressIsNoEntity() throws {
        let found = try entities(
            """
            BEGIN:VCARD
            VERSION:3.0
            FN:Ana
            EMAIL;TYPE=INTERNET:ana@example.org
            EMAIL;TYPE=INTERNET:see notes
            EMAIL:mailto:ana.work@example.com
            EMAIL:http://example.org/contact
            END:VCARD

            """)
        #expect(found.filter { $0.hasPrefix("email:") } == ["email:ana@example.org", "email:ana.work@example.com"])
    }

    /// vCard 4 writes phones as `tel:` URIs (RFC 6350 6.4.1), extensions as URI parameters.
    @Test func aTelURIGivesAPhone() throws {
        let found = try entities(
            """
            BEGIN:VCARD
            VERSION:4.0
            FN:Bo
            TEL;VALUE=uri;TYPE="voice,home":tel:+1-418-656-9254;ext=102
            TEL;VALUE=uri:tel:+33-1-23-45-67-89
            END:VCARD

            """)
        #expect(found.filter { $0.hasPrefix("phone:") } == ["phone:+14186569254", "phone:+33123456789"])
        #expect(PhoneNumbers.normalize(telURI: "555-0100 x") == nil)
    }
}
