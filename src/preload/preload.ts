// The one bridge between a page and main: `window.breather`, exposing the IPC
// contract (invoke a known channel, subscribe to a known push) and nothing else.
// No ipcRenderer, no Node, no event objects reach the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_KEY, type EventChannel, type EventMap, type BreatherBridge, type InvokeChannel, isEventChannel, isInvokeChannel } from '../shared/ipc-contract.js';

const bridge: BreatherBridge = {
  invoke(channel, ...request) {
    if (!isInvokeChannel(channel)) return Promise.reject(new Error(`unknown channel ${String(channel)}`));
    return ipcRenderer.invoke(channel satisfies InvokeChannel, ...request);
  },
  on<E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void) {
    if (!isEventChannel(channel)) throw new Error(`unknown event ${String(channel)}`);
    const wrapped = (_event: IpcRendererEvent, payload: EventMap[E]) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
