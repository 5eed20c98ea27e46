package eventports.report;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helper: parses SVG with the JDK's XML parser and finds elements by tag and class. */
final class Svg {
    private Svg() {}

    static final String NS = "http://www.w3.org/2000/svg";

    /** Throws when the text is not well-formed XML. */
    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    /** Elements {@code <tag>} whose class attribute is exactly {@code cls} (space-separated, in order). */
    static List<Element> find(Document d, String tag, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList nl = d.getElementsByTagNameNS(NS, tag);
        for (int i = 0; i < nl.getLength(); i++) {
            Element e = (Element) nl.item(i);
            if (Arrays.equals(e.getAttribute("class").split(" "), cls.split(" "))) {
                out.add(e);
            }
        }
        return out;
    }

    static List<Element> children(Element parent, String tag, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList nl = parent.getElementsByTagNameNS(NS, tag);
        for (int i = 0; i < nl.getLength(); i++) {
            Element e = (Element) nl.item(i);
            if (cls == null || e.getAttribute("class").equals(cls)) {
                out.add(e);
            }
        }
        return out;
    }

    static double num(Element e, String attr) {
        return Double.parseDouble(e.getAttribute(attr));
    }
}
