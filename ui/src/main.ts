import "@digital-go-jp/design-tokens/dist/tokens.css";
import "./app.css";
import { mount } from "svelte";
import App from "./App.svelte";

const target = document.getElementById("app");
if (!target) throw new Error("#app がありません");
export default mount(App, { target });
