package io.jenkins.plugins.clearml.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class UtilizationChartSvgTest {

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static GpuRunSummary run(int gpus, int samples) {
        GpuRunSummary s = new GpuRunSummary();
        for (int i = 0; i < samples; i++) {
            GpuReading[] readings = new GpuReading[gpus];
            for (int g = 0; g < gpus; g++) {
                readings[g] = new GpuReading(g, "GPU-" + g, (double) ((i * 7 + g * 13) % 101), 1.0, 2.0, 1.0, 1.0,
                        null);
            }
            s.add(GpuRunSummaryTest.at(i * 1000L, readings));
        }
        return s;
    }

    @Test
    void wellFormedFixedSizeSvgWithOneLinePerGpuAndNoActiveContent() throws Exception {
        String svg = UtilizationChartSvg.render(run(2, 601));
        Document doc = parse(svg);

        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(doc.getDocumentElement().getAttribute("width")).isEqualTo("480");
        assertThat(doc.getDocumentElement().getAttribute("height")).isEqualTo("150");
        assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(2);
        assertThat(svg.toLowerCase()).doesNotContain("<script", "onload", "onclick", "href", "javascript:",
                "<foreignobject", "<image");
        assertThat(svg).contains("10 min"); // 601 samples a second apart
        assertThat(doc.getElementsByTagName("title").item(0).getTextContent()).startsWith("GPU utilisation; GPU 0:");
    }

    @Test
    void everyPointLiesInsideThePlot() throws Exception {
        GpuRunSummary s = new GpuRunSummary();
        s.add(GpuRunSummaryTest.at(0, new GpuReading(0, null, 250.0, 1.0, 2.0, 1.0, 1.0, null)));
        s.add(GpuRunSummaryTest.at(1000, new GpuReading(0, null, -5.0, 1.0, 2.0, 1.0, 1.0, null)));
        NodeList lines = parse(UtilizationChartSvg.render(s)).getElementsByTagName("polyline");

        for (String point : lines.item(0).getAttributes().getNamedItem("points").getNodeValue().split(" ")) {
            double y = Double.parseDouble(point.split(",")[1]);
            assertThat(y).isBetween(8.0, 124.0);
        }
    }

    @Test
    void aRunWithoutGpusSaysSo() throws Exception {
        Document doc = parse(UtilizationChartSvg.render(new GpuRunSummary()));

        assertThat(doc.getElementsByTagName("polyline").getLength()).isZero();
        assertThat(doc.getDocumentElement().getTextContent()).contains("no GPU readings");
    }

    @Test
    void manyGpusKeepTheLegendInItsBox() throws Exception {
        Document doc = parse(UtilizationChartSvg.render(run(12, 5)));

        assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(12);
        assertThat(doc.getDocumentElement().getTextContent()).contains("+5 more");
    }

    @Test
    void escapesMarkupInText() {
        assertThat(UtilizationChartSvg.escape("<script>alert('x')</script> & \"q\"\u0001"))
                .isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; ");
    }

    @Test
    void durations() {
        assertThat(List.of(UtilizationChartSvg.duration(45_000), UtilizationChartSvg.duration(720_000),
                UtilizationChartSvg.duration(12_600_000))).containsExactly("45 s", "12 min", "3.5 h");
    }
}
