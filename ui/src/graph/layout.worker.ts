// The layout worker: lays out graphs off the main thread, so the page stays responsive meanwhile.
import { layout, type LayoutRequest } from "./layout";

self.onmessage = (event: MessageEvent<{ id: number; request: LayoutRequest }>) => {
  const { id, request } = event.data;
  try {
    self.postMessage({ id, result: layout(request) });
  } catch (error) {
    self.postMessage({ id, error: String(error) });
  }
};
