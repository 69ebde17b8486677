import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.solr.core.CoreContainer;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * A real standalone Solr 9 for CKAN without Docker or the Solr tarball: Solr's own embedded Jetty
 * runner (solr-test-framework) serving http://127.0.0.1:PORT/solr, cores found by core discovery
 * under SOLR_HOME. Run with Java's single-file launcher:
 *   java -cp 'target/lib/*' IkomaSolr.java SOLR_HOME PORT CORE
 */
public class IkomaSolr {
  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]).toAbsolutePath().normalize();
    int port = Integer.parseInt(args[1]);
    String core = args[2];
    if (!Files.isRegularFile(home.resolve("solr.xml"))) {
      System.err.println("IKOMA_SOLR_FAILED solr.xml missing in " + home);
      System.exit(2);
    }
    JettyConfig config = JettyConfig.builder()
        .setContext("/solr")
        .setPort(port)
        .withPortRetryTime(0) // fail at once when the port is taken instead of retrying for 60 s
        .waitForLoadingCoresToFinish(120_000L)
        .stopAtShutdown(true) // SIGTERM stops Jetty and closes the cores cleanly
        .build();
    JettySolrRunner solr = new JettySolrRunner(home.toString(), new Properties(), config);
    try {
      solr.start();
    } catch (Exception e) {
      e.printStackTrace();
      System.err.println("IKOMA_SOLR_FAILED could not start Jetty on port " + port);
      System.exit(1);
    }
    // A broken schema does not fail start(): the core lands in the init failures instead.
    CoreContainer cores = solr.getCoreContainer();
    if (cores == null || !cores.getCoreInitFailures().isEmpty() || !cores.isLoaded(core)) {
      if (cores != null) {
        cores.getCoreInitFailures().forEach((name, failure) -> {
          System.err.println("core " + name + ":");
          failure.exception.printStackTrace();
        });
      }
      System.err.println("IKOMA_SOLR_FAILED core '" + core + "' not loaded");
      solr.stop();
      System.exit(1);
    }
    System.out.println("IKOMA_SOLR_READY " + solr.getBaseUrl() + "/" + core);
    Thread.currentThread().join();
  }
}
