// The SharedWorker that holds the one connection every tab of an origin shares (SharedSwitchboard, mode
// "worker"). One worker per gateway URL (the worker's name); its hub starts with the first tab's hello.
import { SharedHub } from './hub.js';
let hub = null;
globalThis.onconnect = (event) => {
    const port = event.ports[0];
    const post = (message) => port.postMessage(message);
    port.onmessage = ({ data }) => {
        if (!hub && data.op === 'hello')
            hub = new SharedHub(data.config.url, data.config.options);
        hub?.receive(data, post);
    };
    port.start();
};
