package eventports.kernel;

/**
 * What port_sendn returns: the number of ports that got the event, and the per-entry error
 * array — {@code null} when nothing failed, since the seed then does not write it (port.c:1041).
 */
public record SendnResult(int count, int[] errors) {
}
