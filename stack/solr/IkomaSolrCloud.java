import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * A real two-node SolrCloud for CKAN without Docker: Solr's own MiniSolrCloudCluster
 * (solr-test-framework) with an embedded ZooKeeper, the project's configset uploaded, and one
 * collection of two shards with a replica of each on both nodes, so either node can go down
 * without losing a document. Node 0 answers on PORT0, node 1 on PORT1 (CKAN's solr_url:
 * http://127.0.0.1:PORT0/solr/COLLECTION). A small control server on CONTROL_PORT lets the
 * tests stop and start node 1: GET /stop, GET /start (returns once every replica is active
 * again). Run with Java's single-file launcher:
 *   java -cp 'target/lib/*' IkomaSolrCloud.java BASE_DIR CONFIGSET_DIR COLLECTION PORT0 PORT1 CONTROL_PORT
 */
public class IkomaSolrCloud {
  private static final int SHARDS = 2;
  private static final int REPLICAS = 2;

  public static void main(String[] args) throws Exception {
    Path base = Path.of(args[0]).toAbsolutePath().normalize();
    Path configset = Path.of(args[1]).toAbsolutePath().normalize();
    String collection = args[2];
    int[] ports = {Integer.parseInt(args[3]), Integer.parseInt(args[4])};
    int controlPort = Integer.parseInt(args[5]);

    // no node yet: each is started below on its own fixed port
    MiniSolrCloudCluster cluster =
        new MiniSolrCloudCluster(0, base, JettyConfig.builder().setContext("/solr").build());
    JettySolrRunner[] nodes = new JettySolrRunner[2];
    for (int i = 0; i < 2; i++) {
      JettyConfig config = JettyConfig.builder().setContext("/solr").setPort(ports[i])
          .withPortRetryTime(0).stopAtShutdown(true).build();
      nodes[i] = cluster.startJettySolrRunner("node" + i, "/solr", config);
    }
    cluster.waitForAllNodes(60);
    cluster.uploadConfigSet(configset, collection);
    CollectionAdminRequest.createCollection(collection, collection, SHARDS, REPLICAS)
        .process(cluster.getSolrClient());
    cluster.waitForActiveCollection(collection, 120, TimeUnit.SECONDS, SHARDS, SHARDS * REPLICAS);

    HttpServer control = HttpServer.create(new InetSocketAddress("127.0.0.1", controlPort), 0);
    control.createContext("/stop", exchange -> answer(exchange, () -> {
      cluster.stopJettySolrRunner(nodes[1]);
      cluster.waitForJettyToStop(nodes[1]);
      // node 0's replicas are the active ones; this does not wait for them to be elected
      // leaders: tests/solrcloud waits for that in CLUSTERSTATUS before it indexes
      cluster.waitForActiveCollection(collection, 120, TimeUnit.SECONDS, SHARDS, SHARDS);
      return "stopped node 1";
    }));
    control.createContext("/start", exchange -> answer(exchange, () -> {
      nodes[1] = cluster.startJettySolrRunner(nodes[1], true); // same port
      cluster.waitForNode(nodes[1], 60);
      cluster.waitForActiveCollection(collection, 120, TimeUnit.SECONDS, SHARDS, SHARDS * REPLICAS);
      return "started node 1";
    }));
    control.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      control.stop(0);
      try {
        cluster.shutdown();
      } catch (Exception e) {
        e.printStackTrace();
      }
    }));
    System.out.println("IKOMA_SOLR_READY " + nodes[0].getBaseUrl() + "/" + collection);
    Thread.currentThread().join();
  }

  interface Step {
    String run() throws Exception;
  }

  private static synchronized void answer(HttpExchange exchange, Step step) {
    int status = 200;
    String text;
    try {
      text = step.run();
    } catch (Exception e) {
      e.printStackTrace();
      status = 500;
      text = e.toString();
    }
    try {
      byte[] body = text.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (java.io.IOException e) {
      e.printStackTrace();
    }
  }
}
